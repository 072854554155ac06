package io.locusttelemetry.telemetry.testplugins;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginBase;
import java.util.List;

/** Claims the id of {@link AlphaTestPlugin}; registered only by the duplicate-id test, through its own services file. */
public final class DuplicateAlphaPlugin extends TelemetryRecorderPluginBase {
    @Override
    public String id() {
        return "alpha";
    }

    @Override
    public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) {
        return List.of();
    }

    @Override
    public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) {
        return List.of();
    }
}
