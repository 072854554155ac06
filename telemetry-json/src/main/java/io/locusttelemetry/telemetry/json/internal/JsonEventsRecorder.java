package io.locusttelemetry.telemetry.json.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.UrlRedaction;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryLevel;
import io.locusttelemetry.telemetry.TelemetryType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Event records: {@code test.start}, {@code spawn.complete} and {@code test.stop} (master and local
 * runner), and {@code cpu.warning} (every role, at most once per test).
 */
public final class JsonEventsRecorder extends TelemetryBaseRecorder {
    private final boolean lifecycleEvents;
    private boolean running;
    private boolean cpuWarned;

    /**
     * @param lifecycleEvents whether to record test start, spawn complete and test stop (not on workers)
     */
    public JsonEventsRecorder(Environment env, boolean lifecycleEvents) {
        super("json.events", env);
        this.lifecycleEvents = lifecycleEvents;
        listen(env.events().testStart, e -> testStarted());
        listen(env.events().cpuWarning, this::cpuWarning);
        if (lifecycleEvents) {
            listen(env.events().spawningComplete, this::spawningComplete);
            listen(env.events().testStop, e -> testStopped());
        }
    }

    @Override
    protected String loggerName() {
        return JsonNames.LOGGER;
    }

    private synchronized void testStarted() {
        cpuWarned = false;
        if (!lifecycleEvents) {
            return;
        }
        running = true;
        logEvent(JsonNames.TEST_START, testStartFields());
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
        logEvent(JsonNames.SPAWN_COMPLETE, Map.of("user_count", e.userCount()));
    }

    private synchronized void testStopped() {
        if (!running) {
            return;
        }
        running = false;
        logEvent(JsonNames.TEST_STOP, Map.of("end_time", JsonLineWriter.TIME.format(Instant.now().plusSeconds(1))));
    }

    private synchronized void cpuWarning(Events.CpuWarning w) {
        if (cpuWarned) {
            return;
        }
        cpuWarned = true;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("value", JsonNames.round2(w.cpuUsage()));
        f.put("unit", "percent");
        logTelemetry(TelemetryLevel.WARNING, TelemetryType.EVENT, JsonNames.CPU_WARNING, f);
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
