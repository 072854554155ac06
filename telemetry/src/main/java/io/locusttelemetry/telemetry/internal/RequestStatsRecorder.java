package io.locusttelemetry.telemetry.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.stats.TimeDistribution;
import io.locusttelemetry.telemetry.TelemetryType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code locust.tl.request.metric.stats} records from the environment's statistics (on a master:
 * merged from all workers): {@code current} every {@code --lt-stats-recorder-interval},
 * then at test stop {@code final} once and {@code endpoint} once per entry and per error.
 */
public final class RequestStatsRecorder extends PeriodicStatsRecorder {
    private int userCountAtStop = -1;

    public RequestStatsRecorder(Environment env) {
        super("standard.requests", env);
        listen(env.events().testStopping, e -> testStopping());
    }

    @Override
    protected void starting() {
        userCountAtStop = -1;
    }

    private synchronized void testStopping() {
        Runner r = runner();
        if (running() && r != null) {
            userCountAtStop = r.userCount();
        }
    }

    @Override
    protected void recordInterval() {
        StatsSnapshot snap = env().stats().snapshot();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("stats_type", "current");
        f.putAll(statsFields(snap, snap.total()));
        f.put("user_count", userCount());
        logTelemetry(TelemetryType.METRICS, StandardNames.REQUEST_STATS, f);
    }

    private int userCount() {
        Runner r = runner();
        return r == null ? 0 : r.userCount();
    }

    /** Writes {@code final} and the {@code endpoint} records. */
    @Override
    protected void recordFinal() {
        StatsSnapshot snap = env().stats().snapshot();
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("stats_type", "final");
        fin.putAll(statsFields(snap, snap.total()));
        fin.put("user_count", userCountAtStop >= 0 ? userCountAtStop : userCount());
        logTelemetry(TelemetryType.METRICS, StandardNames.REQUEST_STATS, fin);
        for (EntrySnapshot e : snap.sortedEntries()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("stats_type", "endpoint");
            f.putAll(statsFields(snap, e));
            f.put("status", "success");
            logTelemetry(TelemetryType.METRICS, StandardNames.REQUEST_STATS, f);
        }
        List<ErrorSnapshot> errors = new ArrayList<>(snap.errors());
        errors.sort(Comparator.comparing(ErrorSnapshot::name).thenComparing(ErrorSnapshot::method).thenComparing(ErrorSnapshot::error));
        for (ErrorSnapshot e : errors) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("stats_type", "endpoint");
            f.put("method", e.method());
            f.put("name", e.name());
            f.put("status", "error");
            f.put("error", e.error());
            f.put("occurrences", e.occurrences());
            logTelemetry(TelemetryType.METRICS, StandardNames.REQUEST_STATS, f);
        }
    }

    /** Locust's per-entry statistics, with the spec's field names; the total's method is null, as Locust's. */
    public static Map<String, Object> statsFields(StatsSnapshot snap, EntrySnapshot e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("method", e.method() == null || e.method().isEmpty() ? null : e.method());
        f.put("name", e.name());
        f.put("num_requests", e.numRequests());
        f.put("num_failures", e.numFailures());
        f.put("min_response_time", e.minResponseTime() == null ? 0.0 : e.minResponseTime());
        f.put("max_response_time", e.maxResponseTime());
        f.put("current_rps", snap.currentRps(e));
        f.put("current_fail_per_sec", snap.currentFailPerSec(e));
        f.put("avg_response_time", e.avgResponseTime());
        f.put("median_response_time", e.medianResponseTime());
        f.put("total_rps", snap.totalRps(e));
        f.put("total_fail_per_sec", snap.totalFailPerSec(e));
        f.put("percentile_95", e.percentile(0.95));
        f.put("percentile_99", e.percentile(0.99));
        f.put("avg_content_length", e.avgContentLength());
        TimeDistribution intended = e.intended();
        if (!intended.isEmpty()) {
            // beside Locust's: the response times from the intended start (an open model, paced users)
            f.put("intended_num_requests", intended.count());
            f.put("intended_min_response_time", intended.minMillis() == null ? 0.0 : intended.minMillis());
            f.put("intended_max_response_time", intended.maxMillis());
            f.put("intended_avg_response_time", intended.average());
            f.put("intended_median_response_time", intended.median());
            f.put("intended_percentile_95", intended.percentile(0.95));
            f.put("intended_percentile_99", intended.percentile(0.99));
        }
        return f;
    }
}
