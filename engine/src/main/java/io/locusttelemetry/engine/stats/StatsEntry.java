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

    private long[] sparseKeysSorted() {
        if (sparseBuckets.isEmpty()) {
            return EMPTY;
        }
        long[] keys = sparseBuckets.keySet().stream().mapToLong(Long::longValue).toArray();
        java.util.Arrays.sort(keys);
        return keys;
    }

    /** An immutable copy of the cumulative values. */
    public EntrySnapshot snapshot() {
        // read the request count last so the histogram never claims more requests than counted
        long min = minMicros.get();
        long max = maxMicros.get();
        long last = lastRequestMicros.get();
        long start = startMicros.get();
        // Arrays in key order without boxing or a sorted map: this runs a few times a second per
        // entry, and a map here made it some of the largest code the JIT compiles in a run.
        long[] dense = new long[ResponseTimeBuckets.DENSE_SLOTS];
        int n = 0;
        for (int i = 0; i < dense.length; i++) {
            long c = buckets.get(i);
            dense[i] = c;
            if (c != 0) {
                n++;
            }
        }
        long[] sparseKeys = sparseKeysSorted();
        long[] keys = new long[n + sparseKeys.length];
        long[] counts = new long[keys.length];
        int slot = 0;
        int sparse = 0;
        for (int k = 0; k < keys.length; k++) {
            while (slot < dense.length && dense[slot] == 0) {
                slot++;
            }
            // a key lives either in a dense slot or in the sparse map, never in both
            if (slot < dense.length && (sparse == sparseKeys.length || ResponseTimeBuckets.keyOfSlot(slot) < sparseKeys[sparse])) {
                keys[k] = ResponseTimeBuckets.keyOfSlot(slot);
                counts[k] = dense[slot++];
            } else {
                keys[k] = sparseKeys[sparse++];
                LongAdder c = sparseBuckets.get(keys[k]);
                counts[k] = c == null ? 0 : c.sum();
            }
        }
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
                requestsPerSecond.snapshot(),
                failuresPerSecond.snapshot());
    }
}
