package io.locusttelemetry.telemetry.internal;

import io.locusttelemetry.engine.ArrivalPlan;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.IterationSnapshot;
import io.locusttelemetry.telemetry.TelemetryType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code locust.tl.iteration.metric.stats} records of an open model (on a master: merged from its
 * workers): {@code current} every {@code --lt-stats-recorder-interval} with the counts so far and
 * the interval's rates, {@code final} once at test stop. A closed model writes none.
 */
public final class IterationsRecorder extends PeriodicStatsRecorder {
    private IterationSnapshot.Counts previous = IterationSnapshot.Counts.ZERO;
    private long previousNanos;

    public IterationsRecorder(Environment env) {
        super("standard.iterations", env);
    }

    @Override
    protected void starting() {
        previous = IterationSnapshot.Counts.ZERO;
        previousNanos = System.nanoTime();
    }

    @Override
    protected void recordInterval() {
        record("current");
    }

    @Override
    protected void recordFinal() {
        record("final");
    }

    private void record(String statsType) {
        IterationSnapshot.Counts now = env().stats().iterations().snapshot().total();
        Runner runner = runner();
        ArrivalPlan plan = runner == null ? null : runner.arrivalPlan();
        if (now.scheduled() == 0 && plan == null) {
            return;
        }
        long at = System.nanoTime();
        double seconds = Math.max(1e-9, (at - previousNanos) / 1e9);
        IterationSnapshot.Counts delta = now.scheduled() >= previous.scheduled() ? now.minus(previous) : now;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("stats_type", statsType);
        f.put("scheduled", now.scheduled());
        f.put("started", now.started());
        f.put("dropped", now.dropped());
        f.put("late", now.late());
        f.put("current_started_per_sec", StandardNames.round2(delta.started() / seconds));
        f.put("current_dropped_per_sec", StandardNames.round2(delta.dropped() / seconds));
        f.put("current_late_per_sec", StandardNames.round2(delta.late() / seconds));
        if (plan != null) {
            f.put("target_rate", StandardNames.round2(plan.totalRate()));
            f.put("max_users", plan.totalMaxUsers());
        }
        f.put("user_count", runner == null ? 0 : runner.userCount());
        previous = now;
        previousNanos = at;
        logTelemetry(TelemetryType.METRICS, StandardNames.ITERATION_STATS, f);
    }
}
