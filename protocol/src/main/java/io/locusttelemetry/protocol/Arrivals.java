package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * jlocust's open model in a {@code spawn}, under the key {@value #KEY} (a Python worker ignores
 * it): the iterations per second this worker starts for each user class, and how their starts
 * are spaced. The same spawn's {@code user_classes_count} then says the most users of each class,
 * not users to start. Decoding keeps what it cannot read as a number as NaN, for the worker to refuse.
 *
 * @param perSecond    iterations per second by user class name
 * @param distribution {@code uniform} or {@code poisson}, or null when absent or not a string
 */
public record Arrivals(Map<String, Double> perSecond, String distribution) {
    /** The spawn key. */
    public static final String KEY = "arrivals";

    public Arrivals {
        perSecond = Values.frozen(perSecond == null ? Map.of() : perSecond);
    }

    /** Reads the value of the {@value #KEY} key; null when {@code data} is null (a closed model). */
    public static Arrivals fromData(Object data) {
        if (data == null) {
            return null;
        }
        Map<?, ?> d = Values.map(data);
        Map<String, Double> rates = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : Values.map(d.get("per_second")).entrySet()) {
            if (e.getKey() instanceof String k) {
                rates.put(k, Values.isNumber(e.getValue()) ? ((Number) e.getValue()).doubleValue() : Double.NaN);
            }
        }
        return new Arrivals(rates, Values.string(d, "distribution", null));
    }

    public Map<String, Object> toData() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("per_second", perSecond);
        d.put("distribution", distribution);
        return d;
    }
}
