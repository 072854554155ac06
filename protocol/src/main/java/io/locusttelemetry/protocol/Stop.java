package io.locusttelemetry.protocol;

/** Master to worker: stop all users but stay connected; the worker answers {@link ClientStopped} and later a fresh {@link ClientReady}. */
public record Stop() implements LocustMessage {

    @Override
    public String type() {
        return MessageTypes.STOP;
    }

    @Override
    public Message toMessage(String nodeId) {
        return new Message(type(), null, nodeId);
    }
}
