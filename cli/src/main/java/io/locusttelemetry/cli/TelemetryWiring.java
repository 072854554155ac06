package io.locusttelemetry.cli;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginManager;
import io.locusttelemetry.telemetry.TestMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wires the telemetry recorder plugins found on the classpath and in the locustfile to one
 * environment: their options, their checks, loading the enabled recorders, the run's
 * {@code run_id}/{@code testplan} for the reports, and the flush at the end. One per environment,
 * as the engine's own state.
 */
public final class TelemetryWiring {
    private final TelemetryCoordinator telemetry;

    private TelemetryWiring(TelemetryCoordinator telemetry) {
        this.telemetry = telemetry;
    }

    /**
     * Finds the plugins (registered on the classpath, or annotated among the locustfile's
     * {@code classes}) and subscribes them to the environment's events (before options are defined).
     */
    public static TelemetryWiring load(Environment environment, ClassLoader classLoader, List<Class<?>> classes) {
        TelemetryRecorderPluginManager plugins = TelemetryRecorderPluginManager.discover(classLoader, classes);
        return new TelemetryWiring(new TelemetryCoordinator(environment, plugins));
    }

    /** The coordinator, for what shows the telemetry (the web UI). */
    public TelemetryCoordinator coordinator() {
        return telemetry;
    }

    /** Right after the options are parsed: checks the telemetry options. */
    public void afterParse() {
        telemetry.configure();
    }

    /** After the runner exists, before {@code init} fires: loads the enabled recorders. */
    public void onInit() {
        telemetry.initialize();
    }

    /** Extra run parameters for reports: the telemetry's run_id and testplan when it is on. */
    public Map<String, String> reportParameters() {
        Map<String, String> out = new LinkedHashMap<>();
        if (telemetry.isInitialized() && telemetry.settings() != null && telemetry.settings().enabled()) {
            TestMetadata m = telemetry.current();
            if (m != null) {
                out.put("run_id", m.runId());
                out.put("testplan", m.testplan());
            }
            out.put("Telemetry", String.join(", ", telemetry.enabledPlugins().stream().map(p -> p.id()).toList()));
        }
        return out;
    }

    /** Before the process exits, also on Ctrl-C/SIGTERM: writes and flushes what must not be lost. */
    public void flush() {
        telemetry.flush();
    }
}
