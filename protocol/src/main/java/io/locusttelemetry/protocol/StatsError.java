package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One failure kind in a worker report, keyed in {@link Stats#errors()} by {@link ErrorKey}.
 *
 * @param name        request name
 * @param method      request type
 * @param error       one-line text of the failure
 * @param occurrences failures of this kind in the interval
 * @param firstSeen   Unix seconds of the first occurrence (Locust 2.44 and later), or null
 * @param lastSeen    Unix seconds of the last occurrence (Locust 2.44 and later), or null
 */
public record StatsError(String name, String method, String error, long occurrences, Double firstSeen,
        Double lastSeen) {

    /** A 2.12.1-style error without first/last seen times. */
    public static StatsError of(String name, String method, String error, long occurrences) {
        return new StatsError(name, method, error, occurrences, null, null);
    }

    public static StatsError fromData(Object data) {
        Map<?, ?> d = Values.map(data);
        return new StatsError(Values.string(d, "name", ""), Values.string(d, "method", null),
                Values.string(d, "error", ""), Values.longValue(d, "occurrences", 0),
                Values.optionalDouble(d, "first_seen"), Values.optionalDouble(d, "last_seen"));
    }

    /** The key Python computes for this error, under which masters merge it. */
    public String key() {
        return ErrorKey.of(method, name, error);
    }

    /**
     * The wire map, keys in Locust's order. {@code first_seen} and {@code last_seen} are written
     * only when set, which keeps the 2.12.1 shape for errors that do not track them.
     */
    public Map<String, Object> toData() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("method", method);
        d.put("error", error);
        d.put("occurrences", occurrences);
        if (firstSeen != null) {
            d.put("first_seen", firstSeen);
        }
        if (lastSeen != null) {
            d.put("last_seen", lastSeen);
        }
        return d;
    }
}
