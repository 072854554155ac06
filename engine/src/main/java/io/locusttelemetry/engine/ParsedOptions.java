package io.locusttelemetry.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's options by {@code dest} name (Locust's {@code parsed_options}), including those added
 * by plugins and locustfiles. Values are String, Integer, Long, Double, Boolean, List or null.
 */
public final class ParsedOptions {
    private final Map<String, Object> values;

    public ParsedOptions(Map<String, ?> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static ParsedOptions empty() {
        return new ParsedOptions(Map.of());
    }

    /** A copy with {@code dest} set to {@code value}. */
    public ParsedOptions with(String dest, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(dest, value);
        return new ParsedOptions(copy);
    }

    public Object get(String dest) {
        return values.get(dest);
    }

    public boolean has(String dest) {
        return values.get(dest) != null;
    }

    public String getString(String dest) {
        Object v = values.get(dest);
        return v == null ? null : String.valueOf(v);
    }

    public String getString(String dest, String fallback) {
        String v = getString(dest);
        return v == null ? fallback : v;
    }

    public double getDouble(String dest, double fallback) {
        Object v = values.get(dest);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return v == null ? fallback : Double.parseDouble(String.valueOf(v));
    }

    public int getInt(String dest, int fallback) {
        Object v = values.get(dest);
        if (v instanceof Number n) {
            return n.intValue();
        }
        return v == null ? fallback : Integer.parseInt(String.valueOf(v));
    }

    public boolean getBoolean(String dest, boolean fallback) {
        Object v = values.get(dest);
        if (v instanceof Boolean b) {
            return b;
        }
        return v == null ? fallback : Boolean.parseBoolean(String.valueOf(v));
    }

    /** A list option; a single comma-separated string is split. */
    public List<String> getList(String dest) {
        Object v = values.get(dest);
        if (v == null) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                split(String.valueOf(o), out);
            }
        } else {
            split(String.valueOf(v), out);
        }
        return List.copyOf(out);
    }

    private static void split(String text, List<String> out) {
        for (String part : text.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
    }

    /** All options as a map, e.g. for a master's {@code parsed_options}. */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
