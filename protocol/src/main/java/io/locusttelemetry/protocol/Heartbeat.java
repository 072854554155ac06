package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Worker to master, every second once acked. Python masters require {@code state} and
 * {@code current_cpu_usage}; a missing key decodes as null state or 0.
 *
 * @param state               one of {@link NodeState#READY}, {@link NodeState#SPAWNING},
 *                            {@link NodeState#RUNNING}; null if absent
 * @param currentCpuUsage     process CPU percent
 * @param currentMemoryUsage  resident set size in bytes
 */
public record Heartbeat(String state, double currentCpuUsage, long currentMemoryUsage) implements LocustMessage {

    /** Reads the typed view; missing or odd values take the defaults documented above. */
    public static Heartbeat fromMessage(Message m) {
        Values.requireType(m, MessageTypes.HEARTBEAT);
        Map<?, ?> d = Values.map(m.data());
        return new Heartbeat(Values.string(d, "state", null), Values.doubleValue(d, "current_cpu_usage", 0.0),
                Values.longValue(d, "current_memory_usage", 0));
    }

    @Override
    public String type() {
        return MessageTypes.HEARTBEAT;
    }

    @Override
    public Message toMessage(String nodeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", state);
        data.put("current_cpu_usage", currentCpuUsage);
        data.put("current_memory_usage", currentMemoryUsage);
        return new Message(type(), data, nodeId);
    }
}
