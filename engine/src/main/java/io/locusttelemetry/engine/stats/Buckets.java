package io.locusttelemetry.engine.stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts per Locust bucket key, lock-free: the keys of {@link ResponseTimeBuckets}' dense grid in
 * an array, any other key (a merged report's odd one) in a map. What {@link StatsEntry}'s
 * histograms and {@link TimeHistogram} share.
 */
final class Buckets {
    static final long[] EMPTY = new long[0];

    private Buckets() {}

    static AtomicLongArray dense() {
        return new AtomicLongArray(ResponseTimeBuckets.DENSE_SLOTS);
    }

    static Map<Long, LongAdder> sparse() {
        return new ConcurrentHashMap<>();
    }

    static void add(AtomicLongArray dense, Map<Long, LongAdder> sparse, long key, long count) {
        int slot = ResponseTimeBuckets.slotOf(key);
        if (slot >= 0) {
            dense.addAndGet(slot, count);
        } else {
            sparse.computeIfAbsent(key, k -> new LongAdder()).add(count);
        }
    }

    /** Adds the dense slots of {@code from} to {@code to}, returning their sum. */
    static long addCounts(AtomicLongArray from, long[] to) {
        long sum = 0;
        for (int i = 0; i < to.length; i++) {
            long c = from.get(i);
            to[i] += c;
            sum += c;
        }
        return sum;
    }

    static int nonZero(long[] dense) {
        int n = 0;
        for (long c : dense) {
            if (c != 0) {
                n++;
            }
        }
        return n;
    }

    /** The non-zero dense slots and the sparse keys in ascending key order; a key is in one or the other. */
    static void mergeInKeyOrder(long[] dense, long[] sparseKeys, long[] sparseCounts, long[] keys, long[] counts) {
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
                counts[k] = sparseCounts[next];
                keys[k] = sparseKeys[next++];
            }
        }
    }
}
