package io.locusttelemetry.telemetry.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.SchedulingLag;
import io.locusttelemetry.telemetry.SystemUsage;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * {@code cpu} (percent of one core, and as a share of the usable cores), {@code mem} (MiB) and
 * {@code network} (bytes, sent and recv) records every {@code --lt-system-usage-recorder-interval}
 * while a test runs, on every role; with them the JVM's own health over the same interval:
 * {@code gc} (pause time and collections), {@code heap} (used and committed MiB) and {@code lag}
 * (how late users woke, p99 with p50 and max).
 */
public final class SystemMetricsRecorder extends TelemetryBaseRecorder {
    private ScheduledFuture<?> task;
    private SchedulingLag.Reader lag;
    private long lastGcMillis;
    private long lastGcCount;

    public SystemMetricsRecorder(Environment env) {
        super("standard.system", env);
        listen(env.events().testStart, e -> start());
        listen(env.events().testStop, e -> stop());
    }

    @Override
    protected String loggerName() {
        return StandardNames.LOGGER;
    }

    private synchronized void start() {
        stop();
        lag = SchedulingLag.reader();
        SystemUsage at = systemUsage().sample();
        lastGcMillis = at.gcPauseMillis();
        lastGcCount = at.gcCount();
        task = every(Duration.ZERO, settings().systemUsageInterval(), () -> record(systemUsage().sample()));
    }

    private synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private synchronized void record(SystemUsage u) {
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("utilization", Math.round(u.cpuUtilization() * 10_000) / 10_000.0);
        cpu.put("cores", u.availableProcessors());
        logMetric(StandardNames.CPU, StandardNames.round2(u.cpuPercent()), "percent", cpu);
        logMetric(StandardNames.MEM, StandardNames.round2(u.residentMiB()), "MiB", null);
        logMetric(StandardNames.NETWORK, u.networkBytesSent(), "bytes", Map.of("direction", "sent"));
        logMetric(StandardNames.NETWORK, u.networkBytesRecv(), "bytes", Map.of("direction", "recv"));
        long pause = Math.max(0, u.gcPauseMillis() - lastGcMillis);
        long count = Math.max(0, u.gcCount() - lastGcCount);
        lastGcMillis = u.gcPauseMillis();
        lastGcCount = u.gcCount();
        logMetric(StandardNames.GC, pause, "ms", Map.of("count", count));
        logMetric(StandardNames.HEAP, StandardNames.round2(u.heapUsedBytes() / MIB), "MiB",
                Map.of("committed", StandardNames.round2(u.heapCommittedBytes() / MIB)));
        SchedulingLag.Interval l = lag == null ? SchedulingLag.Interval.EMPTY : lag.next();
        Map<String, Object> lagFields = new LinkedHashMap<>();
        lagFields.put("p50", l.p50Millis());
        lagFields.put("max", l.maxMillis());
        lagFields.put("wakeups", l.wakeUps());
        lagFields.put("machine_p99", l.timerP99Millis());
        logMetric(StandardNames.LAG, l.p99Millis(), "ms", lagFields);
    }

    private static final double MIB = 1024.0 * 1024.0;

    @Override
    protected void onClose() {
        stop();
    }
}
