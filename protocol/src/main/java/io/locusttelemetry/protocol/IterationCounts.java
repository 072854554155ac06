package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One user class's open-model iterations in a worker's {@code stats} report, under the top-level
 * key {@value #KEY} (a Python master ignores it): the interval's started, dropped and late ones.
 */
public record IterationCounts(long started, long dropped, long late) {
    /** The report key. */
    public static final String KEY = "iterations";

    /** Reads the value of the {@value #KEY} key leniently: entries that are not maps under a class name are skipped. */
    public static Map<String, IterationCounts> fromData(Object data) {
        Map<String, IterationCounts> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : Values.map(data).entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof Map<?, ?> c) {
                out.put(k, new IterationCounts(Values.longValue(c, "started", 0), Values.longValue(c, "dropped", 0),
                        Values.longValue(c, "late", 0)));
            }
        }
        return out;
    }

    /** The report value of {@code counts}. */
    public static Map<String, Object> toData(Map<String, IterationCounts> counts) {
        Map<String, Object> out = new LinkedHashMap<>();
        counts.forEach((k, c) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("started", c.started());
            m.put("dropped", c.dropped());
            m.put("late", c.late());
            out.put(k, m);
        });
        return out;
    }
}
