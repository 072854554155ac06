package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Worker to master every three seconds: a statistics delta (the worker resets everything after
 * sending). Unknown top-level keys, which Locust plugins add through their report hook, are kept
 * in {@link #extra()} and written after the standard keys.
 *
 * @param entries          one row per (name, method) with activity in the interval
 * @param total            the worker's aggregate row; masters merge their total only from this
 * @param errors           failures by {@link ErrorKey}
 * @param userClassesCount running users per user class, zeros included
 * @param userCount        sum of {@code userClassesCount} (not read by 2.12.1 masters)
 * @param extra            additional top-level keys, in arrival order
 */
public record Stats(List<SerializedStatsEntry> entries, SerializedStatsEntry total, Map<String, StatsError> errors,
        Map<String, Long> userClassesCount, long userCount, Map<String, Object> extra) implements LocustMessage {

    private static final List<String> STANDARD_KEYS =
            List.of("stats", "stats_total", "errors", "user_classes_count", "user_count");

    /** Copies the collections; nulls become empty and a null total an empty Aggregated row. */
    public Stats {
        entries = Values.frozen(entries == null ? List.of() : entries);
        total = total == null ? SerializedStatsEntry.empty(SerializedStatsEntry.AGGREGATED, "", 0.0) : total;
        errors = Values.frozen(errors == null ? Map.of() : errors);
        userClassesCount = Values.frozen(userClassesCount == null ? Map.of() : userClassesCount);
        extra = Values.frozen(extra == null ? Map.of() : extra);
    }

    /** A report without plugin keys, {@code userCount} computed from the class counts. */
    public static Stats of(List<SerializedStatsEntry> entries, SerializedStatsEntry total, Map<String, StatsError> errors,
            Map<String, Long> userClassesCount) {
        return new Stats(entries, total, errors, userClassesCount,
                Values.sum(userClassesCount == null ? Map.of() : userClassesCount), Map.of());
    }

    /**
     * Lenient decode: missing lists/maps are empty, a missing total is an empty Aggregated row,
     * a missing user_count is the sum of the class counts, malformed entries are read as far as
     * possible.
     */
    public static Stats fromMessage(Message m) {
        Values.requireType(m, MessageTypes.STATS);
        Map<?, ?> d = Values.map(m.data());
        List<SerializedStatsEntry> entries = new ArrayList<>();
        for (Object e : Values.list(d.get("stats"))) {
            entries.add(SerializedStatsEntry.fromData(e));
        }
        SerializedStatsEntry total = d.get("stats_total") instanceof Map<?, ?> t ? SerializedStatsEntry.fromData(t) : null;
        Map<String, StatsError> errors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : Values.map(d.get("errors")).entrySet()) {
            if (e.getValue() instanceof Map<?, ?>) {
                errors.put(String.valueOf(e.getKey()), StatsError.fromData(e.getValue()));
            }
        }
        Map<String, Long> counts = Values.stringCounts(d.get("user_classes_count"));
        long userCount = Values.longValue(d, "user_count", Values.sum(counts));
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : d.entrySet()) {
            if (e.getKey() instanceof String k && !STANDARD_KEYS.contains(k)) {
                extra.put(k, e.getValue());
            }
        }
        return new Stats(entries, total, errors, counts, userCount, extra);
    }

    /** jlocust's open-model iteration counts of the interval ({@link IterationCounts#KEY}), by user class; empty from a Python worker. */
    public Map<String, IterationCounts> iterations() {
        return IterationCounts.fromData(extra.get(IterationCounts.KEY));
    }

    @Override
    public String type() {
        return MessageTypes.STATS;
    }

    @Override
    public Message toMessage(String nodeId) {
        List<Object> rows = new ArrayList<>(entries.size());
        for (SerializedStatsEntry e : entries) {
            rows.add(e.toData());
        }
        Map<String, Object> errorData = new LinkedHashMap<>();
        errors.forEach((k, v) -> errorData.put(k, v.toData()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stats", rows);
        data.put("stats_total", total.toData());
        data.put("errors", errorData);
        data.put("user_classes_count", userClassesCount);
        data.put("user_count", userCount);
        extra.forEach((k, v) -> {
            if (!STANDARD_KEYS.contains(k)) {
                data.put(k, v);
            }
        });
        return new Message(type(), data, nodeId);
    }
}
