package io.locusttelemetry.engine.stats;

import io.locusttelemetry.engine.internal.LagHistogram;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The iterations of an open model, per user class: each one the arrival rate scheduled was either
 * started or dropped (no user of its class was free and the class had its most users already);
 * a started one is late when it began more than {@value #LATE_AFTER_MILLIS} ms after its intended
 * start. Also how late starts were, as a distribution of this process's own iterations. Counting is
 * lock-free and allocation-free once a class has its {@link Counter}.
 */
public final class IterationStats {
    /** An iteration that began later than this after its intended start counts as late. */
    public static final double LATE_AFTER_MILLIS = 10;
    private static final long LATE_AFTER_NANOS = 10_000_000L;

    private final ConcurrentHashMap<String, Counter> byClass = new ConcurrentHashMap<>();
    private final LagHistogram lateness = LagHistogram.create();

    /** One user class's counts. */
    public static final class Counter {
        private final LongAdder started = new LongAdder();
        private final LongAdder dropped = new LongAdder();
        private final LongAdder late = new LongAdder();
        private final LagHistogram lateness;

        private Counter(LagHistogram lateness) {
            this.lateness = lateness;
        }

        /** An iteration found no free user and no room for another. */
        public void dropped() {
            dropped.increment();
        }

        /**
         * A user began an iteration {@code lateNanos} after its intended start. Counted here, on the
         * user's thread, not when the schedule hands the iteration out: one a stop overtakes between
         * the two never runs, and a count of started iterations must equal the tasks run.
         */
        public void began(long lateNanos) {
            started.increment();
            if (lateNanos > LATE_AFTER_NANOS) {
                late.increment();
            }
            lateness.record(lateNanos);
        }
    }

    /** The counts of {@code userClass}, created on first use. */
    public Counter counter(String userClass) {
        Counter c = byClass.get(userClass);
        return c != null ? c : byClass.computeIfAbsent(userClass, k -> new Counter(lateness));
    }

    /** Adds counts received from elsewhere (a worker's report). */
    public void merge(Map<String, IterationSnapshot.Counts> delta) {
        delta.forEach((userClass, counts) -> {
            Counter c = counter(userClass);
            c.started.add(counts.started());
            c.dropped.add(counts.dropped());
            c.late.add(counts.late());
        });
    }

    /** The counts now, late ones read first so that none is counted late without being counted started. */
    public IterationSnapshot snapshot() {
        Map<String, IterationSnapshot.Counts> out = new LinkedHashMap<>();
        byClass.forEach((userClass, c) -> {
            long late = c.late.sum();
            out.put(userClass, new IterationSnapshot.Counts(c.started.sum(), c.dropped.sum(), late));
        });
        long[] counts = lateness.snapshot();
        long total = 0;
        for (long n : counts) {
            total += n;
        }
        return new IterationSnapshot(out, total == 0 ? null : LagHistogram.millisAt(counts, total, 0.99));
    }
}
