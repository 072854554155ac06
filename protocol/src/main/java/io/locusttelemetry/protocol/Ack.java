package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Master to worker: a client_ready was accepted.
 *
 * @param index 0-based worker index, stable per node id for the master's lifetime; masters
 *              before 2.11 send no index, which decodes as 0
 */
public record Ack(long index) implements LocustMessage {

    /** Reads the typed view; missing or odd values take the defaults documented above. */
    public static Ack fromMessage(Message m) {
        Values.requireType(m, MessageTypes.ACK);
        return new Ack(Values.longValue(Values.map(m.data()), "index", 0));
    }

    @Override
    public String type() {
        return MessageTypes.ACK;
    }

    @Override
    public Message toMessage(String nodeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("index", index);
        return new Message(type(), data, nodeId);
    }
}
