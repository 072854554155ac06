package io.locusttelemetry.protocol;

/** Master to worker (latest Locust, 2.19 and later): reply to each worker heartbeat, nil data. A latest Python worker quits after 60 s without one, but only once it has seen the first. */
public record HeartbeatReply() implements LocustMessage {

    @Override
    public String type() {
        return MessageTypes.HEARTBEAT;
    }

    @Override
    public Message toMessage(String nodeId) {
        return new Message(type(), null, nodeId);
    }
}
