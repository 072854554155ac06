package io.locusttelemetry.protocol;

/** Master to worker after a corrupt frame: the worker recreates its socket with the same identity and does not re-send client_ready. */
public record Reconnect() implements LocustMessage {

    @Override
    public String type() {
        return MessageTypes.RECONNECT;
    }

    @Override
    public Message toMessage(String nodeId) {
        return new Message(type(), null, nodeId);
    }
}
