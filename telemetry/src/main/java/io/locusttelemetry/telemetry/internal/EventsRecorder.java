package io.locusttelemetry.telemetry.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.UrlRedaction;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryLevel;
import io.locusttelemetry.telemetry.TelemetryRecord;
import io.locusttelemetry.telemetry.TelemetryType;
import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event records: {@code test.start}, {@code spawn.complete} and {@code test.stop} (master and local
 * runner), {@code cpu.warning} (every role, at most once per test), {@code generator.saturated}
 * (every role, when its generator saturates and when it recovers), {@code iterations.dropped}
 * (every role, when an open model's class starts dropping iterations) and {@code thresholds}
 * (master and local runner, at the end of a test with thresholds: each one's measured value and margin).
 */
public final class EventsRecorder extends TelemetryBaseRecorder {
    private final boolean lifecycleEvents;
    private boolean running;
    private boolean cpuWarned;

    /**
     * @param lifecycleEvents whether to record test start, spawn complete and test stop (not on workers)
     */
    public EventsRecorder(Environment env, boolean lifecycleEvents) {
        super("standard.events", env);
        this.lifecycleEvents = lifecycleEvents;
        listen(env.events().testStart, e -> testStarted());
        listen(env.events().cpuWarning, this::cpuWarning);
        listen(env.events().generatorSaturation, this::generatorSaturation);
        listen(env.events().iterationsDropped, this::iterationsDropped);
        if (lifecycleEvents) {
            listen(env.events().spawningComplete, this::spawningComplete);
            listen(env.events().testStop, e -> testStopped());
            listen(env.events().thresholds, this::thresholds);
        }
    }

    @Override
    protected String loggerName() {
        return StandardNames.LOGGER;
    }

    private synchronized void testStarted() {
        cpuWarned = false;
        if (!lifecycleEvents) {
            return;
        }
        running = true;
        logEvent(StandardNames.TEST_START, testStartFields());
    }

    private Map<String, Object> testStartFields() {
        ParsedOptions o = env().parsedOptions();
        Map<String, Object> f = new LinkedHashMap<>();
        String host = env().host() != null && !env().host().isBlank() ? env().host() : o.getString("host");
        if (host != null && !host.isBlank()) {
            f.put("host", UrlRedaction.redact(host));
        }
        Object users = firstNonNull(o.get("num_users"), o.get("users"));
        if (users == null) {
            Runner runner = runner();
            if (runner != null && runner.targetUserCount() > 0) {
                users = runner.targetUserCount();
            }
        }
        if (users != null) {
            f.put("users", numeric(users));
        }
        Object spawnRate = o.get("spawn_rate");
        if (spawnRate != null) {
            f.put("spawn_rate", numeric(spawnRate));
        }
        Object arrivalRate = o.get("arrival_rate");
        if (arrivalRate != null) {
            f.put("arrival_rate", numeric(arrivalRate));
        }
        Object maxUsers = o.get("max_users");
        if (maxUsers != null) {
            f.put("max_users", numeric(maxUsers));
        }
        Object runTime = o.get("run_time");
        if (runTime != null && !String.valueOf(runTime).isBlank()) {
            f.put("run_time", numeric(runTime));
        }
        return f;
    }

    private static Object firstNonNull(Object a, Object b) {
        return a != null ? a : b;
    }

    /** Numbers given as text become numbers; anything else stays as it is. */
    private static Object numeric(Object v) {
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                try {
                    return Double.parseDouble(s.trim());
                } catch (NumberFormatException e2) {
                    return s;
                }
            }
        }
        return v;
    }

    private void spawningComplete(Events.SpawningComplete e) {
        logEvent(StandardNames.SPAWN_COMPLETE, Map.of("user_count", e.userCount()));
    }

    private synchronized void testStopped() {
        if (!running) {
            return;
        }
        running = false;
        logEvent(StandardNames.TEST_STOP, Map.of("end_time", TelemetryRecord.TIME_FORMAT.format(Instant.now().plusSeconds(1))));
    }

    private synchronized void cpuWarning(Events.CpuWarning w) {
        if (cpuWarned) {
            return;
        }
        cpuWarned = true;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("value", StandardNames.round2(w.cpuUsage()));
        f.put("unit", "percent");
        logTelemetry(TelemetryLevel.WARNING, TelemetryType.EVENT, StandardNames.CPU_WARNING, f);
    }

    /** Once when this process's generator saturates, once when it recovers (every role). */
    private void generatorSaturation(Events.GeneratorSaturation g) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("state", g.saturated() ? "saturated" : "cleared");
        f.put("cause", g.cause());
        f.put("lag_p99_ms", StandardNames.round2(g.lagP99Millis()));
        f.put("gc_pause_ms", StandardNames.round2(g.gcPauseMillis()));
        f.put("cpu_utilization", StandardNames.round2(g.cpuUtilization()));
        f.put("threshold_ms", StandardNames.round2(g.thresholdMillis()));
        f.put("saturated_seconds", g.saturatedIntervals());
        logTelemetry(g.saturated() ? TelemetryLevel.WARNING : TelemetryLevel.INFO, TelemetryType.EVENT,
                StandardNames.GENERATOR_SATURATED, f);
    }

    /** Every role, when an open-model class starts dropping iterations (again after a second without). */
    private void iterationsDropped(Events.IterationsDropped d) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("user_class", d.userClass());
        f.put("dropped", d.dropped());
        f.put("users", d.users());
        f.put("max_users", d.maxUsers());
        f.put("cause", "max_users");
        logTelemetry(TelemetryLevel.WARNING, TelemetryType.EVENT, StandardNames.ITERATIONS_DROPPED, f);
    }

    private void thresholds(Events.ThresholdResults results) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ThresholdOutcome o : results.outcomes()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("threshold", o.threshold().text());
            t.put("endpoint", o.threshold().endpoint() == null ? "Aggregated" : o.threshold().endpoint());
            t.put("metric", o.threshold().metric().name());
            t.put("comparison", o.threshold().comparison().symbol());
            t.put("limit", o.threshold().limit());
            t.put("measured", o.measured());
            t.put("passed", o.passed());
            t.put("margin", o.margin());
            if (o.problem() != null) {
                t.put("problem", o.problem());
            }
            list.add(t);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("passed", results.passed());
        f.put("failed", results.outcomes().stream().filter(o -> !o.passed()).count());
        f.put("total", results.outcomes().size());
        if (results.abortedBy() != null) {
            f.put("aborted_by", results.abortedBy().threshold().text());
        }
        f.put("thresholds", list);
        logTelemetry(results.passed() ? TelemetryLevel.INFO : TelemetryLevel.WARNING, TelemetryType.EVENT, StandardNames.THRESHOLDS, f);
    }

    /** A test still running when the process goes away gets its {@code test.stop}. */
    @Override
    public void flush() {
        testStopped();
    }

    @Override
    protected void onClose() {
        testStopped();
    }
}
