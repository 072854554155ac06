package io.locusttelemetry.telemetry.otel;

import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.LocalRunner;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginManager;
import io.locusttelemetry.telemetry.otel.internal.OtelRecorder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A real local test run with the otel recorder enabled, driven as the CLI drives one. */
final class OtelRun implements AutoCloseable {
    final Environment env;
    final TelemetryCoordinator coordinator;
    final LocalRunner runner;
    private boolean closed;

    private OtelRun(Environment env) {
        this.env = env;
        this.coordinator = new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(OtelRun.class.getClassLoader()));
        coordinator.configure();
        this.runner = env.createLocalRunner();
        coordinator.initialize();
        env.events().init.fire(env);
    }

    /** Options every test needs, then {@code more}. */
    static Map<String, Object> options(Map<String, Object> more) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("testplan", "checkout");
        o.put("enable_telemetry_recorder", List.of("otel"));
        o.put("lt_stats_recorder_interval", 0.5);
        o.put("lt_system_usage_recorder_interval", 0.5);
        // these tests share a busy JVM: the generator's health is the saturation test's subject, not theirs
        o.put("lt_generator_lag_warning_ms", 60_000.0);
        o.putAll(more);
        return o;
    }

    @SafeVarargs
    static OtelRun local(String host, Map<String, Object> options, Class<? extends User>... users) {
        List<Class<? extends User>> classes = new java.util.ArrayList<>();
        for (Class<? extends User> c : users) {
            classes.add(c);
        }
        Environment env = Environment.builder().userClasses(classes).host(host).parsedOptions(new ParsedOptions(options(options))).build();
        return new OtelRun(env);
    }

    OtelRecorder recorder() {
        return (OtelRecorder) coordinator.recorders().stream().filter(r -> r instanceof OtelRecorder).findFirst().orElseThrow();
    }

    /** Starts users and runs until {@code done}, then stops them (the SDK keeps running). */
    OtelRun runUntil(int users, BooleanSupplier done, Duration atMost) {
        runner.start(users, 100);
        await().atMost(atMost).until(done::getAsBoolean);
        runner.stop();
        return this;
    }

    long requests() {
        return env.stats().snapshot().total().numRequests();
    }

    /** What the CLI does at the end: quit, then {@code quitting} (final flush and shutdown). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        runner.quit();
        env.events().quitting.fire(env);
    }
}
