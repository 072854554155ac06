package io.locusttelemetry.engine.stats;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Statistics of one (method, name) pair at one moment, with Locust's derived values (average,
 * median, percentiles). Times are in milliseconds, timestamps in Unix seconds.
 *
 * @param name                 request name, {@code "Aggregated"} for the total
 * @param method               request type, {@code ""} for the total
 * @param minResponseTime      null when no request had a response time
 * @param lastRequestTimestamp null when there was no request
 * @param responseTimeKeys     histogram bucket keys (ms), ascending
 * @param responseTimeCounts   counts matching {@code responseTimeKeys}
 * @param numReqsPerSec        requests per Unix second: the last minute in {@link RequestStats#snapshot()},
 *                             the whole run in {@link RequestStats#fullSnapshot()}
 * @param numFailPerSec        failures per Unix second, likewise
 * @param intended             the response times measured from the intended start of each request's
 *                             iteration, of the requests that had one (an open model, or a paced
 *                             wait time); {@link TimeDistribution#EMPTY} in a closed model without pacing
 */
public record EntrySnapshot(
        String name,
        String method,
        long numRequests,
        long numNoneRequests,
        long numFailures,
        double totalResponseTime,
        Double minResponseTime,
        double maxResponseTime,
        long totalContentLength,
        double startTime,
        Double lastRequestTimestamp,
        long[] responseTimeKeys,
        long[] responseTimeCounts,
        SortedMap<Long, Long> numReqsPerSec,
        SortedMap<Long, Long> numFailPerSec,
        TimeDistribution intended) {

    /** Locust's percentiles, in the order of its tables. */
    public static final double[] PERCENTILES_TO_REPORT = {
        0.50, 0.66, 0.75, 0.80, 0.90, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0
    };

    public EntrySnapshot {
        numReqsPerSec = Collections.unmodifiableSortedMap(numReqsPerSec);
        numFailPerSec = Collections.unmodifiableSortedMap(numFailPerSec);
        intended = intended == null ? TimeDistribution.EMPTY : intended;
    }

    /** An entry without times from an intended start (a closed model, or a Python worker's report). */
    public EntrySnapshot(String name, String method, long numRequests, long numNoneRequests, long numFailures,
                         double totalResponseTime, Double minResponseTime, double maxResponseTime, long totalContentLength,
                         double startTime, Double lastRequestTimestamp, long[] responseTimeKeys, long[] responseTimeCounts,
                         SortedMap<Long, Long> numReqsPerSec, SortedMap<Long, Long> numFailPerSec) {
        this(name, method, numRequests, numNoneRequests, numFailures, totalResponseTime, minResponseTime, maxResponseTime,
                totalContentLength, startTime, lastRequestTimestamp, responseTimeKeys, responseTimeCounts, numReqsPerSec,
                numFailPerSec, TimeDistribution.EMPTY);
    }

    /** An empty entry. */
    public static EntrySnapshot empty(String name, String method, double startTime) {
        return new EntrySnapshot(name, method, 0, 0, 0, 0, null, 0, 0, startTime, null,
                new long[0], new long[0], new TreeMap<>(), new TreeMap<>());
    }

    /** Requests that had a response time. */
    public long numTimedRequests() {
        return numRequests - numNoneRequests;
    }

    public double avgResponseTime() {
        long timed = numTimedRequests();
        return timed == 0 ? 0 : totalResponseTime / timed;
    }

    public double avgContentLength() {
        return numRequests == 0 ? 0 : (double) totalContentLength / numRequests;
    }

    public double failRatio() {
        if (numRequests == 0) {
            return numFailures > 0 ? 1.0 : 0.0;
        }
        return (double) numFailures / numRequests;
    }

    /** The histogram as a sorted map of bucket key to count. */
    public SortedMap<Long, Long> responseTimes() {
        TreeMap<Long, Long> map = new TreeMap<>();
        for (int i = 0; i < responseTimeKeys.length; i++) {
            map.put(responseTimeKeys[i], responseTimeCounts[i]);
        }
        return map;
    }

    /** Locust's median: the middle bucket key, clamped into [min, max]. */
    public double medianResponseTime() {
        return medianOf(responseTimeKeys, responseTimeCounts, numTimedRequests(), minResponseTime, maxResponseTime);
    }

    /** Locust's median of a histogram of {@code timed} times: the middle bucket key, clamped into [min, max]. */
    static double medianOf(long[] keys, long[] counts, long timed, Double min, double max) {
        if (keys.length == 0) {
            return 0;
        }
        double position = (timed - 1) / 2.0;
        double median = 0;
        for (int i = 0; i < keys.length; i++) {
            if (position < counts[i]) {
                median = keys[i];
                break;
            }
            position -= counts[i];
        }
        if (median > max) {
            median = max;
        } else if (min != null && median < min) {
            median = min;
        }
        return median;
    }

    /** Percentile {@code percent} (0..1) over the whole histogram, Locust's rule. */
    public long percentile(double percent) {
        return percentileOf(responseTimeKeys, responseTimeCounts, numRequests, percent);
    }

    /**
     * Locust's percentile walk: from the largest bucket down, the first key at which the requests
     * not yet walked are at most {@code floor(total * percent)}.
     */
    public static long percentileOf(long[] keys, long[] counts, long total, double percent) {
        long wanted = (long) (total * percent);
        long processed = 0;
        for (int i = keys.length - 1; i >= 0; i--) {
            processed += counts[i];
            if (total - processed <= wanted) {
                return keys[i];
            }
        }
        return 0;
    }

    /** Requests per second over the run: requests divided by the stats' active time. */
    public double totalRps(double statsStart, Double statsLast) {
        if (statsLast == null || statsStart == 0 || statsLast - statsStart == 0) {
            return 0;
        }
        return numRequests / (statsLast - statsStart);
    }

    public double totalFailPerSec(double statsStart, Double statsLast) {
        if (statsLast == null || statsStart == 0 || statsLast - statsStart == 0) {
            return 0;
        }
        return numFailures / (statsLast - statsStart);
    }

    /** Locust's current rate: mean over the seconds [max(last-12, start), last-2). */
    public double currentRps(double statsStart, Double statsLast) {
        return currentRate(numReqsPerSec, statsStart, statsLast);
    }

    public double currentFailPerSec(double statsStart, Double statsLast) {
        return currentRate(numFailPerSec, statsStart, statsLast);
    }

    private static double currentRate(SortedMap<Long, Long> perSecond, double statsStart, Double statsLast) {
        if (statsLast == null) {
            return 0;
        }
        long last = (long) Math.floor(statsLast);
        long from = Math.max(last - 12, (long) Math.floor(statsStart));
        long to = last - 2;
        if (to <= from) {
            return 0;
        }
        long sum = 0;
        for (long t = from; t < to; t++) {
            sum += perSecond.getOrDefault(t, 0L);
        }
        return (double) sum / (to - from);
    }

    /**
     * What happened between {@code previous} and this snapshot, as a Locust worker reports it:
     * counts, histogram and per-second maps are differences; min/max are those of the whole run
     * (the master keeps the extremes anyway); min is null when the interval had no timed request.
     */
    public EntrySnapshot minus(EntrySnapshot previous, double intervalStart) {
        if (previous == null) {
            return this;
        }
        long requests = numRequests - previous.numRequests;
        long none = numNoneRequests - previous.numNoneRequests;
        TreeMap<Long, Long> hist = new TreeMap<>(responseTimes());
        for (int i = 0; i < previous.responseTimeKeys.length; i++) {
            long key = previous.responseTimeKeys[i];
            long left = hist.getOrDefault(key, 0L) - previous.responseTimeCounts[i];
            if (left > 0) {
                hist.put(key, left);
            } else {
                hist.remove(key);
            }
        }
        long[] keys = new long[hist.size()];
        long[] counts = new long[hist.size()];
        int i = 0;
        for (Map.Entry<Long, Long> e : hist.entrySet()) {
            keys[i] = e.getKey();
            counts[i++] = e.getValue();
        }
        boolean timed = requests - none > 0;
        return new EntrySnapshot(
                name,
                method,
                requests,
                none,
                numFailures - previous.numFailures,
                totalResponseTime - previous.totalResponseTime,
                timed ? minResponseTime : null,
                timed ? maxResponseTime : 0,
                totalContentLength - previous.totalContentLength,
                intervalStart,
                requests > 0 ? lastRequestTimestamp : null,
                keys,
                counts,
                diff(numReqsPerSec, previous.numReqsPerSec),
                diff(numFailPerSec, previous.numFailPerSec),
                intended.minus(previous.intended));
    }

    private static TreeMap<Long, Long> diff(SortedMap<Long, Long> now, SortedMap<Long, Long> before) {
        TreeMap<Long, Long> out = new TreeMap<>();
        now.forEach((second, count) -> {
            long delta = count - before.getOrDefault(second, 0L);
            if (delta > 0) {
                out.put(second, delta);
            }
        });
        return out;
    }

    /** True when the entry had neither requests nor failures. */
    public boolean isEmpty() {
        return numRequests == 0 && numFailures == 0;
    }
}
