package io.locusttelemetry.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message between master and workers that Locust does not define itself (for example the
 * telemetry's {@code set_metadata}).
 *
 * @param type   the message name
 * @param data   a value made of null, Boolean, Long, Double, String, byte[], List and Map with String keys
 *               (see {@link #normalize})
 * @param nodeId on a master, the sending worker's id; on a worker, the message's node id (the worker's own, as
 *               in Locust); {@code "local"} on a local runner
 */
public record CustomMessage(String type, Object data, String nodeId) {

    /** Receives custom messages of a registered type. */
    @FunctionalInterface
    public interface Handler {
        void onMessage(Environment environment, CustomMessage message);
    }

    /**
     * Turns a Java value into what message data may hold, so that any peer (a Python Locust one
     * too) reads it the same: null, Boolean, Long, Double, String and byte[] stay; Integer, Short
     * and Byte become Long, Float becomes Double, other numbers Double; maps become maps with
     * String keys ({@code String.valueOf} of each key), collections and arrays become lists, each
     * element normalised in turn; anything else becomes its {@code String.valueOf}.
     */
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
