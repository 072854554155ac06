package io.locusttelemetry.engine.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Times in Locust's buckets, recorded lock-free and without allocation: the histogram beside an
 * entry's response times for the times from each request's intended start. The count is the
 * histogram's sum (one atomic increment per time, the last thing recorded), so a snapshot never
 * holds a time in its count that is missing from its histogram.
 */
final class TimeHistogram {
    private final AtomicLongArray dense = Buckets.dense();
    private final Map<Long, LongAdder> sparse = Buckets.sparse();
    private final LongAdder totalMicros = new LongAdder();
    private final LongAccumulator minMicros = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator maxMicros = new LongAccumulator(Math::max, Long.MIN_VALUE);

    void record(long micros) {
        totalMicros.add(micros);
        maxMicros.accumulate(micros);
        minMicros.accumulate(micros);
        Buckets.add(dense, sparse, ResponseTimeBuckets.keyForMicros(micros), 1);
    }

    /** Adds times recorded elsewhere (a worker's report). */
    void merge(TimeDistribution d) {
        if (d.isEmpty()) {
            return;
        }
        for (int i = 0; i < d.keys().length; i++) {
            Buckets.add(dense, sparse, d.keys()[i], d.counts()[i]);
        }
        totalMicros.add(Math.round(d.totalMillis() * 1000.0));
        maxMicros.accumulate(Math.round(d.maxMillis() * 1000.0));
        if (d.minMillis() != null) {
            minMicros.accumulate(Math.round(d.minMillis() * 1000.0));
        }
    }

    TimeDistribution snapshot() {
        long[] counts = new long[ResponseTimeBuckets.DENSE_SLOTS];
        Buckets.addCounts(dense, counts);
        TreeMap<Long, Long> sparseCounts = new TreeMap<>();
        sparse.forEach((k, c) -> sparseCounts.put(k, c.sum()));
        long[] sparseKeys = new long[sparseCounts.size()];
        long[] sparseValues = new long[sparseKeys.length];
        int i = 0;
        for (Map.Entry<Long, Long> e : sparseCounts.entrySet()) {
            sparseKeys[i] = e.getKey();
            sparseValues[i++] = e.getValue();
        }
        long[] keys = new long[Buckets.nonZero(counts) + sparseKeys.length];
        long[] values = new long[keys.length];
        Buckets.mergeInKeyOrder(counts, sparseKeys, sparseValues, keys, values);
        long n = 0;
        for (long v : values) {
            n += v;
        }
        if (n == 0) {
            return TimeDistribution.EMPTY;
        }
        long min = minMicros.get();
        long max = maxMicros.get();
        return new TimeDistribution(n, totalMicros.sum() / 1000.0, min == Long.MAX_VALUE ? null : min / 1000.0,
                max == Long.MIN_VALUE ? 0.0 : max / 1000.0, keys, values);
    }
}
