package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.Values;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One statistics row of a worker report, as Locust's {@code StatsEntry.serialize()} writes it (the
 * engine's own row is {@code io.locusttelemetry.engine.stats.StatsEntry}): raw additive data for one
 * (name, method) over the report interval. The master merges rows by adding counters and histograms; it never receives
 * percentiles or averages.
 *
 * <p>Decoding accepts ints or floats for every numeric field and normalises histogram and
 * per-second keys to longs ({@code 150.0} becomes {@code 150}; keys that collide are summed).
 * Encoding writes the 14 keys in Locust's order with float64 for the time fields, nil for absent
 * nullable fields, and int keys everywhere (as Locust 2.43.4 and later do).
 *
 * @param name                 request name; {@code "Aggregated"} for the total row
 * @param method               request type such as {@code "GET"}; {@code ""} for the total, and
 *                             null in 2.12.1 total rows sent before the first spawn
 * @param lastRequestTimestamp Unix seconds of the last request, null if none
 * @param startTime            Unix seconds when the row was created or last reset
 * @param numRequests          requests in the interval, failures included
 * @param numNoneRequests      requests logged without a response time
 * @param numFailures          failed requests
 * @param totalResponseTime    sum of response times in ms
 * @param maxResponseTime      largest response time in ms, 0 if none
 * @param minResponseTime      smallest response time in ms, null when there were no timed
 *                             requests (never 0: the master takes the minimum)
 * @param totalContentLength   sum of response sizes in bytes
 * @param responseTimes        bucketed response time in ms to count
 * @param numReqsPerSec        Unix second to requests in that second
 * @param numFailPerSec        Unix second to failures in that second
 * @param intendedStart        jlocust's times from the intended start ({@link IntendedTimes#KEY},
 *                             written after Locust's keys), or null (a closed model, a Python worker)
 */
public record SerializedStatsEntry(
        String name,
        String method,
        Double lastRequestTimestamp,
        double startTime,
        long numRequests,
        long numNoneRequests,
        long numFailures,
        double totalResponseTime,
        double maxResponseTime,
        Double minResponseTime,
        long totalContentLength,
        Map<Long, Long> responseTimes,
        Map<Long, Long> numReqsPerSec,
        Map<Long, Long> numFailPerSec,
        IntendedTimes intendedStart) {

    /** Name of the total row. */
    public static final String AGGREGATED = "Aggregated";

    /** Copies the maps (insertion order kept) and replaces null maps with empty ones. */
    public SerializedStatsEntry {
        responseTimes = Values.frozen(responseTimes == null ? Map.of() : responseTimes);
        numReqsPerSec = Values.frozen(numReqsPerSec == null ? Map.of() : numReqsPerSec);
        numFailPerSec = Values.frozen(numFailPerSec == null ? Map.of() : numFailPerSec);
    }

    /** A row as Locust writes it, without times from an intended start. */
    public SerializedStatsEntry(String name, String method, Double lastRequestTimestamp, double startTime, long numRequests,
                                long numNoneRequests, long numFailures, double totalResponseTime, double maxResponseTime,
                                Double minResponseTime, long totalContentLength, Map<Long, Long> responseTimes,
                                Map<Long, Long> numReqsPerSec, Map<Long, Long> numFailPerSec) {
        this(name, method, lastRequestTimestamp, startTime, numRequests, numNoneRequests, numFailures, totalResponseTime,
                maxResponseTime, minResponseTime, totalContentLength, responseTimes, numReqsPerSec, numFailPerSec, null);
    }

    /** A row with no requests, as Locust creates or resets it. */
    public static SerializedStatsEntry empty(String name, String method, double startTime) {
        return new SerializedStatsEntry(name, method, null, startTime, 0, 0, 0, 0.0, 0.0, null, 0,
                Map.of(), Map.of(), Map.of());
    }

    /** Reads one SerializedStatsEntry map; a missing name becomes {@code ""}, other missing fields their empty value. */
    public static SerializedStatsEntry fromData(Object data) {
        Map<?, ?> d = Values.map(data);
        return new SerializedStatsEntry(
                Values.string(d, "name", ""),
                Values.string(d, "method", null),
                Values.optionalDouble(d, "last_request_timestamp"),
                Values.doubleValue(d, "start_time", 0.0),
                Values.longValue(d, "num_requests", 0),
                Values.longValue(d, "num_none_requests", 0),
                Values.longValue(d, "num_failures", 0),
                Values.doubleValue(d, "total_response_time", 0.0),
                Values.doubleValue(d, "max_response_time", 0.0),
                Values.optionalDouble(d, "min_response_time"),
                Values.longValue(d, "total_content_length", 0),
                Values.longCounts(d.get("response_times")),
                Values.longCounts(d.get("num_reqs_per_sec")),
                Values.longCounts(d.get("num_fail_per_sec")),
                IntendedTimes.fromData(d.get(IntendedTimes.KEY)));
    }

    /** The wire map, keys in Locust's order. */
    public Map<String, Object> toData() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("method", method);
        d.put("last_request_timestamp", lastRequestTimestamp);
        d.put("start_time", startTime);
        d.put("num_requests", numRequests);
        d.put("num_none_requests", numNoneRequests);
        d.put("num_failures", numFailures);
        d.put("total_response_time", totalResponseTime);
        d.put("max_response_time", maxResponseTime);
        d.put("min_response_time", minResponseTime);
        d.put("total_content_length", totalContentLength);
        d.put("response_times", responseTimes);
        d.put("num_reqs_per_sec", numReqsPerSec);
        d.put("num_fail_per_sec", numFailPerSec);
        if (intendedStart != null) {
            d.put(IntendedTimes.KEY, intendedStart.toData());
        }
        return d;
    }
}
