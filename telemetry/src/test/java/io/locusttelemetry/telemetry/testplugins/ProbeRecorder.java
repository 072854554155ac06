package io.locusttelemetry.telemetry.testplugins;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryLevel;
import io.locusttelemetry.telemetry.TelemetryType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A recorder the tests drive: it records the events it sees and emits records on request. */
public final class ProbeRecorder extends TelemetryBaseRecorder {
    public final String role;
    public final List<String> seen = new CopyOnWriteArrayList<>();

    public ProbeRecorder(String name, Environment env, String role) {
        super(name, env);
        this.role = role;
        listen(env.events().testStart, e -> seen.add("test_start"));
        listen(env.events().spawningComplete, e -> seen.add("spawning_complete"));
        listen(env.events().testStop, e -> seen.add("test_stop"));
    }

    public void record(String telemetryName, Map<String, ?> fields) {
        logTelemetry(TelemetryType.METRICS, telemetryName, fields);
    }

    public void record(TelemetryLevel level, String telemetryName) {
        logTelemetry(level, TelemetryType.EVENT, telemetryName, Map.of());
    }
}
