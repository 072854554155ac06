package io.locusttelemetry.telemetry.json.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.SystemUsage;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * {@code cpu} (percent of one core), {@code mem} (MiB) and {@code network} (bytes, sent and recv)
 * records every {@code --lt-system-usage-recorder-interval} while a test runs, on every role.
 */
public final class JsonSystemMetricsRecorder extends TelemetryBaseRecorder {
    private ScheduledFuture<?> task;

    public JsonSystemMetricsRecorder(Environment env) {
        super("json.system", env);
        listen(env.events().testStart, e -> start());
        listen(env.events().testStop, e -> stop());
    }

    @Override
    protected String loggerName() {
        return JsonNames.LOGGER;
    }

    private synchronized void start() {
        stop();
        task = every(Duration.ZERO, settings().systemUsageInterval(), () -> record(systemUsage().sample()));
    }

    private synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void record(SystemUsage u) {
        logMetric(JsonNames.CPU, JsonNames.round2(u.cpuPercent()), "percent", null);
        logMetric(JsonNames.MEM, JsonNames.round2(u.residentMiB()), "MiB", null);
        logMetric(JsonNames.NETWORK, u.networkBytesSent(), "bytes", Map.of("direction", "sent"));
        logMetric(JsonNames.NETWORK, u.networkBytesRecv(), "bytes", Map.of("direction", "recv"));
    }

    @Override
    protected void onClose() {
        stop();
    }
}
