package io.locusttelemetry.telemetry.testplugins;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryRecorderPlugin;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginBase;
import java.util.List;

/** Test plugin without options whose master and worker recorders are of one class (a nested one, to check binary names). */
public final class BetaTestPlugin {
    private BetaTestPlugin() {}

    @TelemetryRecorderPlugin
    public static final class Plugin extends TelemetryRecorderPluginBase {
        @Override
        public String id() {
            return "beta";
        }

        @Override
        public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) {
            return List.of(new ProbeRecorder("beta", env, "master"));
        }

        @Override
        public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) {
            return List.of(new ProbeRecorder("beta", env, "worker"));
        }
    }
}
