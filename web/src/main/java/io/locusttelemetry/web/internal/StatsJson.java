package io.locusttelemetry.web.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.TaskRatio;
import io.locusttelemetry.engine.UserClassRatio;
import io.locusttelemetry.engine.UserClasses;
import io.locusttelemetry.engine.WorkerSummary;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.StatsHistory;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON of Locust's routes, with Locust 2.46's field names and shapes: {@code /stats/requests},
 * {@code /exceptions}, {@code /tasks}.
 */
public final class StatsJson {
    /** Locust shows at most this many rows (the Aggregated row besides). */
    static final int MAX_ROWS = 500;

    private StatsJson() {}

    /** {@code GET /stats/requests}. */
    public static String requests(Environment env) {
        Runner runner = env.runner();
        StatsSnapshot stats = env.stats().snapshot();
        StatsHistory.Point latest = env.statsHistory().latest();
        return Json.render(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("stats");
            List<EntrySnapshot> rows = stats.sortedEntries();
            for (EntrySnapshot e : rows.subList(0, Math.min(MAX_ROWS, rows.size()))) {
                entry(g, stats, e, false);
            }
            entry(g, stats, stats.total(), true);
            g.writeEndArray();
            g.writeArrayFieldStart("errors");
            List<ErrorSnapshot> errors = stats.errors();
            for (ErrorSnapshot e : errors.subList(0, Math.min(MAX_ROWS, errors.size()))) {
                g.writeStartObject();
                g.writeStringField("method", e.method());
                g.writeStringField("name", e.name());
                g.writeStringField("error", e.error());
                g.writeNumberField("occurrences", e.occurrences());
                g.writeEndObject();
            }
            g.writeEndArray();
            EntrySnapshot total = stats.total();
            Json.number(g, "current_rps", stats.currentRps(total));
            Json.number(g, "current_fail_per_sec", stats.currentFailPerSec(total));
            Json.number(g, "total_rps", stats.totalRps(total));
            Json.number(g, "total_fail_per_sec", stats.totalFailPerSec(total));
            Json.number(g, "fail_ratio", total.failRatio());
            g.writeObjectFieldStart("current_response_time_percentiles");
            percentile(g, "response_time_percentile_0.5", latest, 0.5);
            percentile(g, "response_time_percentile_0.95", latest, 0.95);
            g.writeEndObject();
            if (runner.role() == Runner.Role.MASTER) {
                g.writeArrayFieldStart("workers");
                List<? extends WorkerSummary> workers = runner.workers();
                for (WorkerSummary w : workers) {
                    g.writeStartObject();
                    g.writeStringField("id", w.id());
                    g.writeStringField("state", w.state());
                    g.writeNumberField("user_count", w.userCount());
                    Json.number(g, "cpu_usage", w.cpuUsage());
                    g.writeNumberField("memory_usage", w.memoryUsage());
                    g.writeStringField("kind", w.kind());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeNumberField("worker_count", workers.stream().filter(w -> !"missing".equals(w.state())).count());
            }
            g.writeStringField("state", runner.state().wireName());
            g.writeNumberField("user_count", runner.userCount());
            g.writeEndObject();
        });
    }

    private static void percentile(JsonGenerator g, String field, StatsHistory.Point latest, double p) throws IOException {
        if (latest == null || latest.totalRequests() == 0) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, latest.currentPercentile(p));
        }
    }

    /** One row as Locust's {@code StatsEntry.to_dict}; the total's method is null, as Locust's. */
    private static void entry(JsonGenerator g, StatsSnapshot stats, EntrySnapshot e, boolean total) throws IOException {
        g.writeStartObject();
        if (total || e.method() == null) {
            g.writeNullField("method");
        } else {
            g.writeStringField("method", e.method());
        }
        g.writeStringField("name", e.name());
        g.writeNumberField("num_requests", e.numRequests());
        g.writeNumberField("num_failures", e.numFailures());
        g.writeNumberField("min_response_time", e.minResponseTime() == null ? 0 : Math.round(e.minResponseTime()));
        g.writeNumberField("max_response_time", Math.round(e.maxResponseTime()));
        Json.number(g, "current_rps", stats.currentRps(e));
        Json.number(g, "current_fail_per_sec", stats.currentFailPerSec(e));
        Json.number(g, "avg_response_time", e.avgResponseTime());
        Json.number(g, "median_response_time", e.medianResponseTime());
        Json.number(g, "total_rps", stats.totalRps(e));
        Json.number(g, "total_fail_per_sec", stats.totalFailPerSec(e));
        percentileField(g, "response_time_percentile_0.95", e, 0.95);
        percentileField(g, "response_time_percentile_0.99", e, 0.99);
        Json.number(g, "avg_content_length", e.avgContentLength());
        g.writeEndObject();
    }

    private static void percentileField(JsonGenerator g, String field, EntrySnapshot e, double p) throws IOException {
        if (e.numTimedRequests() == 0) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, e.percentile(p));
        }
    }

    /** {@code GET /exceptions}. */
    public static String exceptions(Runner runner) {
        return Json.render(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("exceptions");
            for (Runner.ExceptionRecord r : runner.exceptions()) {
                g.writeStartObject();
                g.writeNumberField("count", r.count());
                g.writeStringField("msg", r.message());
                g.writeStringField("traceback", r.traceback());
                g.writeStringField("nodes", String.join(", ", r.nodes()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * {@code GET /tasks}: each class's share of the running users (of the declared weights before any
     * user runs) and its tasks' shares, per class and of the total, as Locust's {@code get_ratio}.
     */
    public static String tasks(Environment env) {
        List<UserClassRatio> declared = UserClasses.of(env.userClasses()).ratios(io.locusttelemetry.engine.TagFilter.of(env.tags(), env.excludeTags()));
        Map<String, Integer> running = env.runner().userClassesCount();
        int users = running.values().stream().mapToInt(Integer::intValue).sum();
        return Json.render(g -> {
            g.writeStartObject();
            for (boolean total : new boolean[] {false, true}) {
                g.writeObjectFieldStart(total ? "total" : "per_class");
                for (UserClassRatio c : declared) {
                    double share = users > 0 ? (double) running.getOrDefault(c.name(), 0) / users : c.ratio();
                    g.writeObjectFieldStart(c.name());
                    g.writeNumberField("ratio", share);
                    tasks(g, c.tasks(), total ? share : 1.0);
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private static void tasks(JsonGenerator g, List<TaskRatio> tasks, double parent) throws IOException {
        g.writeObjectFieldStart("tasks");
        for (TaskRatio t : tasks) {
            g.writeObjectFieldStart(t.name());
            g.writeNumberField("ratio", t.ratio() * parent);
            if (!t.tasks().isEmpty()) {
                tasks(g, t.tasks(), t.ratio() * parent);
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
