package io.locusttelemetry.engine.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts per Unix second without locks: a ring of recent seconds, each slot packing the second
 * (high 32 bits) and its count (low 32 bits) into one long updated by CAS. Seconds that leave the
 * ring are moved to an archive by {@link #archiveBefore(long)}, called from the stats ticker.
 */
final class PerSecondCounts {
    private static final int RING = 128;
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final AtomicLongArray ring = new AtomicLongArray(RING);
    private final TreeMap<Long, Long> archive = new TreeMap<>();

    void add(long second, long n) {
        int slot = (int) (second & (RING - 1));
        while (true) {
            long packed = ring.get(slot);
            long slotSecond = packed >>> 32;
            long next;
            if (packed != 0 && slotSecond == second) {
                next = packed + n;
            } else if (packed == 0 || slotSecond < second) {
                next = (second << 32) | n;
            } else {
                // older than what the ring holds: straight to the archive
                archiveValue(second, n);
                return;
            }
            if (ring.compareAndSet(slot, packed, next)) {
                if (packed != 0 && slotSecond != second) {
                    archiveValue(slotSecond, packed & COUNT_MASK);
                }
                return;
            }
        }
    }

    long get(long second) {
        long packed = ring.get((int) (second & (RING - 1)));
        if (packed != 0 && (packed >>> 32) == second) {
            return packed & COUNT_MASK;
        }
        synchronized (archive) {
            return archive.getOrDefault(second, 0L);
        }
    }

    /** Moves ring seconds older than {@code second} into the archive (off the request path). */
    void archiveBefore(long second) {
        synchronized (archive) {
            for (int i = 0; i < RING; i++) {
                long packed = ring.get(i);
                if (packed != 0 && (packed >>> 32) < second) {
                    if (ring.compareAndSet(i, packed, 0)) {
                        archive.merge(packed >>> 32, packed & COUNT_MASK, Long::sum);
                    }
                }
            }
        }
    }

    private void archiveValue(long second, long count) {
        synchronized (archive) {
            archive.merge(second, count, Long::sum);
        }
    }

    /**
     * The seconds still in the ring (the last minute while a runner ticks), or with {@code
     * everySecond} also the archive: copying the whole archive on every snapshot would make each
     * one cost more the longer the run.
     */
    TreeMap<Long, Long> snapshot(boolean everySecond) {
        synchronized (archive) {
            long[] packed = new long[RING];
            int n = occupied(ring, packed);
            TreeMap<Long, Long> out = everySecond ? new TreeMap<>(archive) : new TreeMap<>();
            for (int i = 0; i < n; i++) {
                out.merge(packed[i] >>> 32, packed[i] & COUNT_MASK, Long::sum);
            }
            return out;
        }
    }

    private static int occupied(AtomicLongArray ring, long[] to) {
        int n = 0;
        for (int i = 0; i < RING; i++) {
            long p = ring.get(i);
            if (p != 0) {
                to[n++] = p;
            }
        }
        return n;
    }

    void addAll(Map<Long, Long> counts) {
        counts.forEach(this::add);
    }
}
