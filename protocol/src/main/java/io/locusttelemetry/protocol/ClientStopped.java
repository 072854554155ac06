package io.locusttelemetry.protocol;

/** Worker to master: answer to {@link Stop} once all users are stopped. */
public record ClientStopped() implements LocustMessage {

    @Override
    public String type() {
        return MessageTypes.CLIENT_STOPPED;
    }

    @Override
    public Message toMessage(String nodeId) {
        return new Message(type(), null, nodeId);
    }
}
