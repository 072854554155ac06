package io.locusttelemetry.telemetry.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns metadata values into what a custom message may carry: null, Boolean, Long, Double, String, byte[], List, Map. */
public final class WireValues {
    private WireValues() {}

    public static Object normalize(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof String || value instanceof byte[]) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
            return out;
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(v -> out.add(normalize(v)));
            return out;
        }
        if (value instanceof Object[] a) {
            List<Object> out = new ArrayList<>(a.length);
            for (Object v : a) {
                out.add(normalize(v));
            }
            return out;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        return String.valueOf(value);
    }
}
