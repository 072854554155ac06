package io.locusttelemetry.engine.stats;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Times in milliseconds, bucketed as Locust buckets response times, at one moment: what
 * {@link EntrySnapshot#intended()} holds for the response times measured from the intended start
 * of each request's iteration (open model, or a paced wait time). Percentiles and the median follow
 * Locust's rules, so they read like the response time columns beside them.
 *
 * @param count       times recorded (the histogram's sum)
 * @param totalMillis their sum
 * @param minMillis   the smallest, null when there is none
 * @param maxMillis   the largest, 0 when there is none
 * @param keys        bucket keys in milliseconds, ascending
 * @param counts      counts matching {@code keys}
 */
public record TimeDistribution(long count, double totalMillis, Double minMillis, double maxMillis, long[] keys, long[] counts) {

    /** No times. */
    public static final TimeDistribution EMPTY = new TimeDistribution(0, 0, null, 0, new long[0], new long[0]);

    public boolean isEmpty() {
        return count == 0;
    }

    public double average() {
        return count == 0 ? 0 : totalMillis / count;
    }

    /** Locust's median: the middle bucket key, clamped into [min, max]. */
    public double median() {
        return EntrySnapshot.medianOf(keys, counts, count, minMillis, maxMillis);
    }

    /** Percentile {@code percent} (0..1), Locust's rule. */
    public long percentile(double percent) {
        return EntrySnapshot.percentileOf(keys, counts, count, percent);
    }

    /** The histogram as a sorted map of bucket key to count. */
    public SortedMap<Long, Long> asMap() {
        TreeMap<Long, Long> map = new TreeMap<>();
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], counts[i]);
        }
        return map;
    }

    /** What was recorded since {@code previous}; min and max stay those of the whole run, as {@link EntrySnapshot#minus}'s. */
    public TimeDistribution minus(TimeDistribution previous) {
        if (previous == null || previous.isEmpty()) {
            return this;
        }
        TreeMap<Long, Long> hist = new TreeMap<>(asMap());
        for (int i = 0; i < previous.keys.length; i++) {
            long left = hist.getOrDefault(previous.keys[i], 0L) - previous.counts[i];
            if (left > 0) {
                hist.put(previous.keys[i], left);
            } else {
                hist.remove(previous.keys[i]);
            }
        }
        return of(hist, totalMillis - previous.totalMillis, minMillis, maxMillis);
    }

    /** A distribution of the given histogram (keys in ms); min and max apply only when it holds a time. */
    public static TimeDistribution of(SortedMap<Long, Long> histogram, double totalMillis, Double minMillis, double maxMillis) {
        long[] k = new long[histogram.size()];
        long[] c = new long[histogram.size()];
        long n = 0;
        int i = 0;
        for (Map.Entry<Long, Long> e : histogram.entrySet()) {
            k[i] = e.getKey();
            c[i++] = e.getValue();
            n += e.getValue();
        }
        if (n == 0) {
            return EMPTY;
        }
        return new TimeDistribution(n, totalMillis, minMillis, maxMillis, k, c);
    }
}
