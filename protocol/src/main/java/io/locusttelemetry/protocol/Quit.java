package io.locusttelemetry.protocol;

/** Both directions, nil data: the master tells a worker to shut down, or a worker announces it is shutting down. */
public record Quit() implements LocustMessage {

    @Override
    public String type() {
        return MessageTypes.QUIT;
    }

    @Override
    public Message toMessage(String nodeId) {
        return new Message(type(), null, nodeId);
    }
}
