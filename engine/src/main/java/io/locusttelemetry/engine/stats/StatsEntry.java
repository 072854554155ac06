package io.locusttelemetry.engine.stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative statistics of one (method, name) pair, or of the aggregated total. Recording is
 * lock-free and allocation-free; readers take an {@link EntrySnapshot}. Values never go down, so a
 * worker reports exact deltas by subtracting the previous snapshot.
 *
 * <p>Each request is counted by exactly one atomic increment: a histogram slot of successes or of
 * failures, or a counter of successes or failures without a response time. The request and
 * failure counts and the histogram are all derived from those, so a snapshot taken while users
 * record, which reads them one after the other, still sees every request entirely or not at all:
 * in every snapshot and in every difference of two, the histogram holds exactly the timed
 * requests and the failures are among the requests, as in a Locust worker's reports (a master
 * checks this). A snapshot reads those counts first, then the rest, which each request records
 * before its count.
 */
public final class StatsEntry {
        private final String name;
    private final String method;

    /** Successes without a response time, and what merged reports counted as such. */
    private final LongAdder noneRequests = new LongAdder();
    private final LongAdder failedNoneRequests = new LongAdder();
    /** Failures not recorded with their request ({@link #logFailure}, merged reports). */
    private final LongAdder extraFailures = new LongAdder();
    /** Merged requests that a report counted outside its histogram and none count (zero for Locust's reports). */
    private final LongAdder extraRequests = new LongAdder();
    private final LongAdder totalResponseTimeMicros = new LongAdder();
    private final LongAdder totalContentLength = new LongAdder();
    private final LongAccumulator minMicros = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator maxMicros = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final LongAccumulator lastRequestMicros = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private final LongAccumulator startMicros = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final AtomicLongArray buckets = new AtomicLongArray(ResponseTimeBuckets.DENSE_SLOTS);
    private final Map<Long, LongAdder> sparseBuckets = new ConcurrentHashMap<>();
    private final AtomicLongArray failedBuckets = new AtomicLongArray(ResponseTimeBuckets.DENSE_SLOTS);
    private final Map<Long, LongAdder> failedSparseBuckets = new ConcurrentHashMap<>();
    /** The times from the intended start, created by the first request that has one (closed models never need it). */
    private volatile TimeHistogram intended;
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
     * @param intendedMicros the time from the intended start of the request's iteration to its end, or
     *                       a negative value when it had none
     */
    void log(long nowMicros, long responseMicros, long contentLength, boolean failed, long intendedMicros) {
        long second = nowMicros / 1_000_000;
        requestsPerSecond.add(second, 1);
        if (failed) {
            failuresPerSecond.add(second, 1);
        }
        lastRequestMicros.accumulate(nowMicros);
        if (contentLength > 0) {
            totalContentLength.add(contentLength);
        }
        if (responseMicros < 0) {
            (failed ? failedNoneRequests : noneRequests).increment();
            logIntended(intendedMicros);
            return;
        }
        totalResponseTimeMicros.add(responseMicros);
        // max before min, read in the other order: a snapshot that sees a minimum sees a maximum at least as large
        maxMicros.accumulate(responseMicros);
        minMicros.accumulate(responseMicros);
        // the count last: a request a snapshot counts has everything else recorded
        long key = ResponseTimeBuckets.keyForMicros(responseMicros);
        if (failed) {
            Buckets.add(failedBuckets, failedSparseBuckets, key, 1);
        } else {
            Buckets.add(buckets, sparseBuckets, key, 1);
        }
        logIntended(intendedMicros);
    }

    /** After the request's own count: a snapshot reads this first, so it never holds a time of a request it does not count. */
    private void logIntended(long intendedMicros) {
        if (intendedMicros >= 0) {
            intended().record(intendedMicros);
        }
    }

    private TimeHistogram intended() {
        TimeHistogram h = intended;
        if (h == null) {
            INTENDED.compareAndSet(this, null, new TimeHistogram());
            h = intended;
        }
        return h;
    }

    private static final AtomicReferenceFieldUpdater<StatsEntry, TimeHistogram> INTENDED =
            AtomicReferenceFieldUpdater.newUpdater(StatsEntry.class, TimeHistogram.class, "intended");

    /** A failure of a request counted before as a success (the error table's own path). */
    void logFailure(long nowMicros) {
        failuresPerSecond.add(nowMicros / 1_000_000, 1);
        extraFailures.increment();
    }

    /** Adds a delta received from elsewhere (a worker's report), as Locust's master does. */
    void merge(EntrySnapshot delta) {
        long[] keys = delta.responseTimeKeys();
        long[] counts = delta.responseTimeCounts();
        long timed = 0;
        for (int i = 0; i < keys.length; i++) {
            Buckets.add(buckets, sparseBuckets, keys[i], counts[i]);
            timed += counts[i];
        }
        noneRequests.add(delta.numNoneRequests());
        extraRequests.add(delta.numRequests() - delta.numNoneRequests() - timed);
        extraFailures.add(delta.numFailures());
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
        requestsPerSecond.addAll(delta.numReqsPerSec());
        failuresPerSecond.addAll(delta.numFailPerSec());
        if (!delta.intended().isEmpty()) {
            intended().merge(delta.intended());
        }
    }

    void archiveBefore(long second) {
        requestsPerSecond.archiveBefore(second);
        failuresPerSecond.archiveBefore(second);
    }

    /** The sparse keys of both maps, sorted, with their counts read once into {@code countsOut[0]} (and the failed ones' sum into {@code countsOut[1][0]}). */
    private long[] readSparse(long[][] countsOut) {
        if (sparseBuckets.isEmpty() && failedSparseBuckets.isEmpty()) {
            countsOut[0] = Buckets.EMPTY;
            countsOut[1] = new long[1];
            return Buckets.EMPTY;
        }
        java.util.TreeMap<Long, long[]> merged = new java.util.TreeMap<>();
        sparseBuckets.forEach((k, c) -> merged.computeIfAbsent(k, x -> new long[2])[0] += c.sum());
        failedSparseBuckets.forEach((k, c) -> merged.computeIfAbsent(k, x -> new long[2])[1] += c.sum());
        long[] keys = new long[merged.size()];
        long[] counts = new long[keys.length];
        long failed = 0;
        int i = 0;
        for (Map.Entry<Long, long[]> e : merged.entrySet()) {
            keys[i] = e.getKey();
            counts[i++] = e.getValue()[0] + e.getValue()[1];
            failed += e.getValue()[1];
        }
        countsOut[0] = counts;
        countsOut[1] = new long[] {failed};
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
        // The counts first: every request counted below has its other figures recorded before them.
        // Arrays in key order without boxing, and the loops in small methods of their own: this
        // runs a few times a second per entry, and as one method with a sorted map it was among
        // the largest code C2 compiled a minute into a run. The times from the intended start before
        // all: each request records them after its count.
        TimeHistogram intendedTimes = intended;
        TimeDistribution fromIntendedStart = intendedTimes == null ? TimeDistribution.EMPTY : intendedTimes.snapshot();
        long[] dense = new long[ResponseTimeBuckets.DENSE_SLOTS];
        long timed = Buckets.addCounts(buckets, dense);
        long failedTimed = Buckets.addCounts(failedBuckets, dense);
        long[][] sparseCounts = new long[2][];
        long[] sparseKeys = readSparse(sparseCounts);
        for (long c : sparseCounts[0]) {
            timed += c;
        }
        timed += failedTimed;
        failedTimed += sparseCounts[1][0];
        long none = noneRequests.sum();
        long failedNone = failedNoneRequests.sum();
        long requests = timed + none + failedNone + extraRequests.sum();
        long failures = failedTimed + failedNone + extraFailures.sum();
        long min = minMicros.get();
        long max = maxMicros.get();
        long last = lastRequestMicros.get();
        long start = startMicros.get();
        long[] keys = new long[Buckets.nonZero(dense) + sparseKeys.length];
        long[] counts = new long[keys.length];
        Buckets.mergeInKeyOrder(dense, sparseKeys, sparseCounts[0], keys, counts);
        return new EntrySnapshot(
                name,
                method,
                requests,
                none + failedNone,
                failures,
                totalResponseTimeMicros.sum() / 1000.0,
                min == Long.MAX_VALUE ? null : min / 1000.0,
                max == Long.MIN_VALUE ? 0.0 : max / 1000.0,
                totalContentLength.sum(),
                start == Long.MAX_VALUE ? 0.0 : start / 1_000_000.0,
                last == Long.MIN_VALUE ? null : last / 1_000_000.0,
                keys,
                counts,
                requestsPerSecond.snapshot(everySecond),
                failuresPerSecond.snapshot(everySecond),
                fromIntendedStart);
    }
}
