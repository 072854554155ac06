package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * jlocust's response times from the intended start (an open model, paced users) in one stats
 * row, under the key {@value #KEY} beside Locust's keys (a Python master ignores it), in the
 * shape of Locust's own fields: a count, their sum, the extremes and a histogram in Locust's buckets.
 *
 * @param numRequests       requests that had an intended start
 * @param totalResponseTime sum of their times in ms
 * @param maxResponseTime   the largest in ms
 * @param minResponseTime   the smallest in ms, null when there was none
 * @param responseTimes     bucketed time in ms to count
 */
public record IntendedTimes(long numRequests, double totalResponseTime, double maxResponseTime, Double minResponseTime,
                            Map<Long, Long> responseTimes) {
    /** The row key. */
    public static final String KEY = "intended_start";

    public IntendedTimes {
        responseTimes = Values.frozen(responseTimes == null ? Map.of() : responseTimes);
    }

    /** Reads the value of the {@value #KEY} key leniently; null when absent. */
    public static IntendedTimes fromData(Object data) {
        if (data == null) {
            return null;
        }
        Map<?, ?> d = Values.map(data);
        return new IntendedTimes(Values.longValue(d, "num_requests", 0), Values.doubleValue(d, "total_response_time", 0.0),
                Values.doubleValue(d, "max_response_time", 0.0), Values.optionalDouble(d, "min_response_time"),
                Values.longCounts(d.get("response_times")));
    }

    public Map<String, Object> toData() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("num_requests", numRequests);
        d.put("total_response_time", totalResponseTime);
        d.put("max_response_time", maxResponseTime);
        d.put("min_response_time", minResponseTime);
        d.put("response_times", responseTimes);
        return d;
    }
}
