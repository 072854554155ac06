package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.thresholds.ThresholdExpression;
import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live evaluation of a test's thresholds, every {@link #INTERVAL_SECONDS} seconds on the
 * statistics so far: a threshold that starts or stops failing is logged, and the first failing
 * evaluation of an {@code abort-on-fail} threshold at or after its delay stops the test. A
 * threshold that cannot be measured yet (no request to its endpoint so far) neither fails live
 * nor stops the test; at the end it fails.
 */
public final class ThresholdWatch {
    /** Seconds between two evaluations. */
    public static final long INTERVAL_SECONDS = 2;
    /** An evaluation this close before a delay's end counts as at its end (the timer wakes a little early or late). */
    private static final long DELAY_TOLERANCE_NANOS = 250_000_000L;
    private static final Logger log = LoggerFactory.getLogger("jlocust");

    private final List<ThresholdExpression> thresholds;
    private final Supplier<StatsSnapshot> stats;
    private final Runnable stop;
    private final LongSupplier nanoTime;
    private final long startNanos;
    /** Only the timer thread touches it. */
    private final Set<ThresholdExpression> failing = new HashSet<>();
    private volatile ThresholdOutcome abortedBy;

    /**
     * @param stats    the statistics so far
     * @param stop     ends the test (the runner quits)
     * @param nanoTime the clock the delays are measured with; the test starts now
     */
    public ThresholdWatch(List<ThresholdExpression> thresholds, Supplier<StatsSnapshot> stats, Runnable stop, LongSupplier nanoTime) {
        this.thresholds = List.copyOf(thresholds);
        this.stats = stats;
        this.stop = stop;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
    }

    /** One evaluation; after an abort, nothing. */
    public void check() {
        if (abortedBy != null) {
            return;
        }
        StatsSnapshot now = stats.get();
        long elapsed = nanoTime.getAsLong() - startNanos;
        for (ThresholdOutcome o : ThresholdOutcome.evaluate(thresholds, now)) {
            ThresholdExpression t = o.threshold();
            boolean failed = !o.passed() && o.measured() != null;
            if (failed && failing.add(t)) {
                log.warn("Threshold {} is failing: {} (limit {})", Text.escapeControl(t.text()), o.measuredText(), t.limitText());
            } else if (!failed && failing.remove(t)) {
                log.info("Threshold {} holds again: {}", Text.escapeControl(t.text()), o.measuredText());
            }
            if (failed && t.abortOnFail() && elapsed + DELAY_TOLERANCE_NANOS >= t.abortDelay().toNanos()) {
                abortedBy = o;
                log.error("Threshold {} failed with abort-on-fail: {} (limit {}), stopping the test", Text.escapeControl(t.text()),
                        o.measuredText(), t.limitText());
                stop.run();
                return;
            }
        }
    }

    /** The threshold that stopped the test, or null. */
    public ThresholdOutcome abortedBy() {
        return abortedBy;
    }
}
