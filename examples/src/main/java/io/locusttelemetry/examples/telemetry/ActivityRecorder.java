package io.locusttelemetry.examples.telemetry;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * Records {@code custom.user.metric.activity} every interval while a test runs: the user count,
 * and the requests and failures since the previous record (on a master, from the statistics merged
 * from all workers), with the resulting rate.
 */
public final class ActivityRecorder extends TelemetryBaseRecorder {
    /** The {@code telemetry_name} of this recorder's records. */
    public static final String ACTIVITY = "custom.user.metric.activity";

    private final Duration interval;
    private ScheduledFuture<?> task;
    private long lastRequests;
    private long lastFailures;
    private long lastNanos;

    public ActivityRecorder(Environment env, Duration interval) {
        super("custom", env);
        this.interval = interval;
        listen(env.events().testStart, e -> start());
        listen(env.events().testStop, e -> stop());
    }

    private synchronized void start() {
        if (task != null) {
            task.cancel(false);
        }
        lastRequests = 0;
        lastFailures = 0;
        lastNanos = System.nanoTime();
        task = every(interval, this::record);
    }

    private synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
            record();
        }
    }

    private synchronized void record() {
        EntrySnapshot total = env().stats().snapshot().total();
        long now = System.nanoTime();
        // statistics restart from 0 when they are reset
        long requests = total.numRequests() >= lastRequests ? total.numRequests() - lastRequests : total.numRequests();
        long failures = total.numFailures() >= lastFailures ? total.numFailures() - lastFailures : total.numFailures();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        lastRequests = total.numRequests();
        lastFailures = total.numFailures();
        lastNanos = now;

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("user_count", runner() == null ? 0 : runner().userCount());
        fields.put("requests_since_last", requests);
        fields.put("failures_since_last", failures);
        fields.put("requests_per_second", Math.round(requests / seconds * 100.0) / 100.0);
        fields.put("interval_seconds", Math.round(seconds * 1000.0) / 1000.0);
        logTelemetry(TelemetryType.METRICS, ACTIVITY, fields);
    }

    @Override
    protected void onClose() {
        stop();
    }
}
