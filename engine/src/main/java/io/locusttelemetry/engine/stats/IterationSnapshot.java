package io.locusttelemetry.engine.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The iterations of an open model at one moment (see {@link IterationStats}).
 *
 * @param byClass        counts per user class name, in name order
 * @param lateP99Millis  how late the starts of this process's own iterations were, 99th percentile in
 *                       milliseconds; null when it ran none (a master: its workers ran them)
 */
public record IterationSnapshot(Map<String, Counts> byClass, Double lateP99Millis) {

    /** No iterations: a closed model. */
    public static final IterationSnapshot EMPTY = new IterationSnapshot(Map.of(), null);

    /**
     * @param started iterations a user began (one a stop overtook before it began is not counted)
     * @param dropped iterations that found no free user at the class's most users
     * @param late    started iterations that began more than {@value IterationStats#LATE_AFTER_MILLIS} ms
     *                after their intended start
     */
    public record Counts(long started, long dropped, long late) {
        public static final Counts ZERO = new Counts(0, 0, 0);

        /** Every iteration the arrival rate asked for: started or dropped. */
        public long scheduled() {
            return started + dropped;
        }

        public Counts plus(Counts o) {
            return new Counts(started + o.started, dropped + o.dropped, late + o.late);
        }

        public Counts minus(Counts o) {
            return new Counts(started - o.started, dropped - o.dropped, late - o.late);
        }

        public boolean isZero() {
            return started == 0 && dropped == 0 && late == 0;
        }
    }

    public IterationSnapshot {
        byClass = java.util.Collections.unmodifiableMap(new TreeMap<>(byClass));
    }

    /** The sum over every class. */
    public Counts total() {
        Counts sum = Counts.ZERO;
        for (Counts c : byClass.values()) {
            sum = sum.plus(c);
        }
        return sum;
    }

    /** True when no iteration was scheduled: the run was a closed model. */
    public boolean isEmpty() {
        return total().scheduled() == 0;
    }

    /** What happened since {@code previous}, for a worker's report; classes without a change are left out. */
    public IterationSnapshot minus(IterationSnapshot previous) {
        if (previous == null) {
            return this;
        }
        Map<String, Counts> out = new LinkedHashMap<>();
        byClass.forEach((userClass, c) -> {
            Counts d = c.minus(previous.byClass.getOrDefault(userClass, Counts.ZERO));
            if (!d.isZero()) {
                out.put(userClass, d);
            }
        });
        return new IterationSnapshot(out, lateP99Millis);
    }
}
