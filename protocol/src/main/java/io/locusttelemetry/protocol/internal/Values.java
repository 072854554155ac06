package io.locusttelemetry.protocol.internal;

import io.locusttelemetry.protocol.Message;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lenient readers for decoded message data. Peers differ in which keys they send and whether a
 * number arrives as int or float, so a missing key or a value of an unexpected kind yields the
 * caller's default instead of an error.
 */
public final class Values {

    private Values() {
    }

    /** Throws if {@code m} is not of the expected type; a programming error, not a wire defect. */
    public static void requireType(Message m, String expected) {
        if (!expected.equals(Objects.requireNonNull(m, "message").type())) {
            throw new IllegalArgumentException("expected a '" + expected + "' message, got '" + m.type() + "'");
        }
    }

    public static Map<?, ?> map(Object data) {
        return data instanceof Map<?, ?> m ? m : Map.of();
    }

    public static String string(Map<?, ?> m, String key, String fallback) {
        return m.get(key) instanceof String s ? s : fallback;
    }

    /** True for the numeric kinds a msgpack decoder produces; booleans do not count. */
    public static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Float || v instanceof BigInteger
                || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    public static Double optionalDouble(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return isNumber(v) ? ((Number) v).doubleValue() : null;
    }

    public static double doubleValue(Map<?, ?> m, String key, double fallback) {
        Double d = optionalDouble(m, key);
        return d == null ? fallback : d;
    }

    public static long longValue(Map<?, ?> m, String key, long fallback) {
        Long l = toLong(m.get(key));
        return l == null ? fallback : l;
    }

    /** Integral view of a number: floats are truncated like Python's int(), big values clamp. */
    public static Long toLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : (b.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isNaN(d) ? null : (long) d;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        return null;
    }

    /**
     * Histogram or per-second key as a long. Python treats 150 and 150.0 as the same dict key,
     * so integral floats map to their integer; a fractional key (only possible with a custom
     * bucketing function) is rounded half-to-even like Python's round().
     */
    public static Long normaliseKey(Object k) {
        if (k instanceof Double || k instanceof Float) {
            double d = ((Number) k).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) >= 0x1p63) {
                return null;
            }
            return (long) Math.rint(d);
        }
        if (k instanceof BigInteger) {
            return null;
        }
        return toLong(k);
    }

    /** Number-keyed counters, read-only; keys that collide after normalisation are summed. */
    public static Map<Long, Long> longCounts(Object data) {
        if (data instanceof LongCounts decoded) {
            // the decoder's map of integers: distinct Long keys already, and read-only
            return decoded.isEmpty() ? ReadOnlyMap.empty() : decoded;
        }
        Map<?, ?> in = map(data);
        if (in.isEmpty()) {
            return ReadOnlyMap.empty();
        }
        LinkedHashMap<Long, Long> out = LinkedHashMap.newLinkedHashMap(in.size());
        for (Map.Entry<?, ?> e : in.entrySet()) {
            Object key = e.getKey();
            Object value = e.getValue();
            // a decoder's integers are Longs already: the common case takes them as they are
            Long k = key instanceof Long l ? l : normaliseKey(key);
            Long v = value instanceof Long l ? l : toLong(value);
            if (k != null && v != null) {
                out.merge(k, v, Long::sum);
            }
        }
        return new ReadOnlyMap<>(out);
    }

    /** Name-keyed counters such as user_classes_count. */
    public static Map<String, Long> stringCounts(Object data) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map(data).entrySet()) {
            Long v = toLong(e.getValue());
            if (e.getKey() instanceof String k && v != null) {
                out.put(k, v);
            }
        }
        return out;
    }

    /** String-keyed copy of an open map; non-string keys cannot come from Python kwargs and are dropped. */
    public static Map<String, Object> stringKeyed(Object data) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map(data).entrySet()) {
            if (e.getKey() instanceof String k) {
                out.put(k, e.getValue());
            }
        }
        return out;
    }

    public static List<?> list(Object data) {
        return data instanceof List<?> l ? l : List.of();
    }

    /** A read-only copy in the same order; a map this class made read-only, or a decoder's {@link LongCounts}, is returned as it is. */
    public static <K, V> Map<K, V> frozen(Map<K, V> m) {
        if (m == null || m instanceof ReadOnlyMap<K, V> || m instanceof LongCounts) {
            return m;
        }
        return m.isEmpty() ? ReadOnlyMap.empty() : new ReadOnlyMap<>(new LinkedHashMap<>(m));
    }

    public static <T> List<T> frozen(List<T> l) {
        return l == null ? null : Collections.unmodifiableList(new ArrayList<>(l));
    }

    public static long sum(Map<String, Long> counts) {
        long total = 0;
        for (Long v : counts.values()) {
            total += v == null ? 0 : v;
        }
        return total;
    }
}
