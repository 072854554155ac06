package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Master to worker: one dispatch step. Workers drop a spawn whose timestamp is not greater than
 * the last accepted one, so masters must use an increasing clock.
 *
 * @param timestamp        master's Unix time when the step was produced
 * @param userClassesCount absolute target users per class for this worker, all classes listed
 * @param host             target host, or null when none was given
 * @param stopTimeout      seconds users get to finish on stop; null (2.12.1 default) means 0
 * @param parsedOptions    the master's parsed command-line options, an open map (may be empty);
 *                         values are generic decoded values
 * @param arrivals         jlocust's open model for this worker ({@link Arrivals#KEY}), or null for a
 *                         closed model (then {@code userClassesCount} are users to run, as in Locust)
 */
public record Spawn(double timestamp, Map<String, Long> userClassesCount, String host, Double stopTimeout,
        Map<String, Object> parsedOptions, Arrivals arrivals) implements LocustMessage {

    /** Copies the maps (insertion order kept); nulls become empty maps. */
    public Spawn {
        userClassesCount = Values.frozen(userClassesCount == null ? Map.of() : userClassesCount);
        parsedOptions = Values.frozen(parsedOptions == null ? Map.of() : parsedOptions);
    }

    /** Locust's spawn: a closed model. */
    public Spawn(double timestamp, Map<String, Long> userClassesCount, String host, Double stopTimeout,
                 Map<String, Object> parsedOptions) {
        this(timestamp, userClassesCount, host, stopTimeout, parsedOptions, null);
    }

    /** Reads the typed view; missing or odd values take the defaults documented above. */
    public static Spawn fromMessage(Message m) {
        Values.requireType(m, MessageTypes.SPAWN);
        Map<?, ?> d = Values.map(m.data());
        return new Spawn(Values.doubleValue(d, "timestamp", 0.0), Values.stringCounts(d.get("user_classes_count")),
                Values.string(d, "host", null), Values.optionalDouble(d, "stop_timeout"),
                Values.stringKeyed(d.get("parsed_options")), Arrivals.fromData(d.get(Arrivals.KEY)));
    }

    /** Sum of the per-class targets. */
    public long userCount() {
        return Values.sum(userClassesCount);
    }

    @Override
    public String type() {
        return MessageTypes.SPAWN;
    }

    @Override
    public Message toMessage(String nodeId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("timestamp", timestamp);
        data.put("user_classes_count", userClassesCount);
        data.put("host", host);
        data.put("stop_timeout", stopTimeout);
        data.put("parsed_options", parsedOptions);
        if (arrivals != null) {
            data.put(Arrivals.KEY, arrivals.toData());
        }
        return new Message(type(), data, nodeId);
    }
}
