package io.locusttelemetry.engine.stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative statistics of one (method, name) pair, or of the aggregated total. Recording is
 * lock-free and allocation-free; readers take an {@link EntrySnapshot}. Values never go down, so a
 * worker reports exact deltas by subtracting the previous snapshot.
 */
public final class StatsEntry {
    private static final long[] EMPTY = new long[0];
    private final String name;
    private final String method;

    private final LongAdder numRequests = new LongAdder();
    private final LongAdder numNoneRequests = new LongAdder();
    private final LongAdder numFailures = new LongAdder();
    private final LongAdder totalResponseTimeMicros = new LongAdder();
    private final LongAdder totalContentLength = new LongAdder();
    private final LongAccumulator minMicros = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator maxMicros = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final LongAccumulator lastRequestMicros = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final LongAccumulator startMicros = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final AtomicLongArray buckets = new AtomicLongArray(ResponseTimeBuckets.DENSE_SLOTS);
    private final Map<Long, LongAdder> sparseBuckets = new ConcurrentHashMap<>();
    final PerSecondCounts requestsPerSecond = new PerSecondCounts();
    final PerSecondCounts failuresPerSecond = new PerSecondCounts();

    StatsEntry(String name, String method, long startMicros) {
        this.name = name;
        this.method = method;
        this.startMicros.accumulate(startMicros);
    }

    public String name() {
        return name;
    }

    /** The request type (HTTP method or a custom type); {@code ""} for the total. */
    public String method() {
        return method;
    }

    /**
     * Records one request.
     *
     * @param nowMicros      epoch time of the request's completion in microseconds
     * @param responseMicros response time in microseconds, or a negative value for "no response time"
     * @param contentLength  response body size in bytes
     */
    void log(long nowMicros, long responseMicros, long contentLength) {
        numRequests.increment();
        requestsPerSecond.add(nowMicros / 1_000_000, 1);
        lastRequestMicros.accumulate(nowMicros);
        if (responseMicros < 0) {
            numNoneRequests.increment();
        } else {
            totalResponseTimeMicros.add(responseMicros);
            minMicros.accumulate(responseMicros);
            maxMicros.accumulate(responseMicros);
            addToBucket(ResponseTimeBuckets.keyForMicros(responseMicros), 1);
        }
        if (contentLength > 0) {
            totalContentLength.add(contentLength);
        }
    }

    void logFailure(long nowMicros) {
        numFailures.increment();
        failuresPerSecond.add(nowMicros / 1_000_000, 1);
    }

    private void addToBucket(long key, long count) {
        int slot = ResponseTimeBuckets.slotOf(key);
        if (slot >= 0) {
            buckets.addAndGet(slot, count);
        } else {
            sparseBuckets.computeIfAbsent(key, k -> new LongAdder()).add(count);
        }
    }

    /** Adds a delta received from elsewhere (a worker's report), as Locust's master does. */
    void merge(EntrySnapshot delta) {
        numRequests.add(delta.numRequests());
        numNoneRequests.add(delta.numNoneRequests());
        numFailures.add(delta.numFailures());
        totalResponseTimeMicros.add(Math.round(delta.totalResponseTime() * 1000.0));
        totalContentLength.add(delta.totalContentLength());
        if (delta.minResponseTime() != null) {
            minMicros.accumulate(Math.round(delta.minResponseTime() * 1000.0));
        }
        if (delta.numRequests() > delta.numNoneRequests() || delta.maxResponseTime() > 0) {
            maxMicros.accumulate(Math.round(delta.maxResponseTime() * 1000.0));
        }
        if (delta.lastRequestTimestamp() != null) {
            lastRequestMicros.accumulate(Math.round(delta.lastRequestTimestamp() * 1_000_000.0));
        }
        if (delta.startTime() > 0) {
            startMicros.accumulate(Math.round(delta.startTime() * 1_000_000.0));
        }
        long[] keys = delta.responseTimeKeys();
        long[] counts = delta.responseTimeCounts();
        for (int i = 0; i < keys.length; i++) {
            addToBucket(keys[i], counts[i]);
        }
        requestsPerSecond.addAll(delta.numReqsPerSec());
        failuresPerSecond.addAll(delta.numFailPerSec());
    }

    void archiveBefore(long second) {
        requestsPerSecond.archiveBefore(second);
        failuresPerSecond.archiveBefore(second);
    }

    /** Copies the dense slots, returning how many are not zero. */
    private static int copyCounts(AtomicLongArray from, long[] to) {
        int n = 0;
        for (int i = 0; i < to.length; i++) {
            long c = from.get(i);
            to[i] = c;
            if (c != 0) {
                n++;
            }
        }
        return n;
    }

    /** The non-zero dense slots and the sparse keys in ascending key order; a key is in one or the other. */
    private static void mergeInKeyOrder(long[] dense, long[] sparseKeys, Map<Long, LongAdder> sparse, long[] keys, long[] counts) {
        int slot = 0;
        int next = 0;
        for (int k = 0; k < keys.length; k++) {
            while (slot < dense.length && dense[slot] == 0) {
                slot++;
            }
            if (slot < dense.length && (next == sparseKeys.length || ResponseTimeBuckets.keyOfSlot(slot) < sparseKeys[next])) {
                keys[k] = ResponseTimeBuckets.keyOfSlot(slot);
                counts[k] = dense[slot++];
            } else {
                keys[k] = sparseKeys[next++];
                LongAdder c = sparse.get(keys[k]);
                counts[k] = c == null ? 0 : c.sum();
            }
        }
    }

    private long[] sparseKeysSorted() {
        if (sparseBuckets.isEmpty()) {
            return EMPTY;
        }
        long[] keys = sparseBuckets.keySet().stream().mapToLong(Long::longValue).toArray();
        java.util.Arrays.sort(keys);
        return keys;
    }

    /** An immutable copy of the cumulative values, with the per-second counts of the last minute. */
    public EntrySnapshot snapshot() {
        return snapshot(false);
    }

    /**
     * An immutable copy of the cumulative values.
     *
     * @param everySecond whether the per-second counts cover the whole run instead of the last minute
     */
    public EntrySnapshot snapshot(boolean everySecond) {
        // read the request count last so the histogram never claims more requests than counted
        long min = minMicros.get();
        long max = maxMicros.get();
        long last = lastRequestMicros.get();
        long start = startMicros.get();
        // Arrays in key order without boxing or a sorted map, and the loops in small methods of
        // their own: this runs a few times a second per entry, and as one method with a sorted map
        // it was among the largest code C2 compiled a minute into a run.
        long[] dense = new long[ResponseTimeBuckets.DENSE_SLOTS];
        int n = copyCounts(buckets, dense);
        long[] sparseKeys = sparseKeysSorted();
        long[] keys = new long[n + sparseKeys.length];
        long[] counts = new long[keys.length];
        mergeInKeyOrder(dense, sparseKeys, sparseBuckets, keys, counts);
        return new EntrySnapshot(
                name,
                method,
                numRequests.sum(),
                numNoneRequests.sum(),
                numFailures.sum(),
                totalResponseTimeMicros.sum() / 1000.0,
                min == Long.MAX_VALUE ? null : min / 1000.0,
                max == Long.MIN_VALUE ? 0.0 : max / 1000.0,
                totalContentLength.sum(),
                start == Long.MAX_VALUE ? 0.0 : start / 1_000_000.0,
                last == Long.MIN_VALUE ? null : last / 1_000_000.0,
                keys,
                counts,
                requestsPerSecond.snapshot(everySecond),
                failuresPerSecond.snapshot(everySecond));
    }
}
