package io.locusttelemetry.protocol;

/** Worker to master: a spawn message was received (sent for every spawn, even a stale one). */
public record Spawning() implements LocustMessage {

    @Override
    public String type() {
        return MessageTypes.SPAWNING;
    }

    @Override
    public Message toMessage(String nodeId) {
        return new Message(type(), null, nodeId);
    }
}
