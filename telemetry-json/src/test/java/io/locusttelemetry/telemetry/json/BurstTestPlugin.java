package io.locusttelemetry.telemetry.json;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryRecorderPlugin;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginBase;
import io.locusttelemetry.telemetry.TelemetryType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A second plugin for the tests: its recorder emits records on demand, from any thread. */
@TelemetryRecorderPlugin
public final class BurstTestPlugin extends TelemetryRecorderPluginBase {
    @Override
    public String id() {
        return "burst";
    }

    @Override
    public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) {
        return List.of(new BurstRecorder(env));
    }

    @Override
    public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) {
        return List.of(new BurstRecorder(env));
    }

    /** Emits {@code burst.metric} records. */
    public static final class BurstRecorder extends TelemetryBaseRecorder {
        BurstRecorder(Environment env) {
            super("burst", env);
        }

        public void emit(int thread, int index, String payload) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("thread", thread);
            f.put("index", index);
            f.put("payload", payload);
            logTelemetry(TelemetryType.METRICS, "burst.metric", f);
        }
    }
}
