package io.locusttelemetry.telemetry.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import java.util.List;

/**
 * The recorders of the standard records ({@code telemetry-spec.md} §2), loaded by the coordinator
 * when an enabled plugin has an output for them: a master (or local runner) records test events and
 * request statistics (merged from every worker on a master); every role records its own system and
 * JVM metrics and its warnings.
 */
public final class StandardRecorders {
    private StandardRecorders() {}

    public static List<TelemetryBaseRecorder> load(Environment env, Runner.Role role) {
        return switch (role) {
            case MASTER, LOCAL -> List.of(new RequestStatsRecorder(env), new IterationsRecorder(env), new EventsRecorder(env, true),
                    new SystemMetricsRecorder(env));
            case WORKER -> List.of(new EventsRecorder(env, false), new SystemMetricsRecorder(env));
        };
    }
}
