package io.locusttelemetry.telemetry.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import java.util.concurrent.ScheduledFuture;

/**
 * A standard statistics record: written every {@code --lt-stats-recorder-interval} while a test
 * runs, and once more when it stops (or the telemetry is flushed or closed first). The interval's
 * task and the test's start and stop run under this recorder's lock, so a subclass's state needs
 * no other.
 */
abstract class PeriodicStatsRecorder extends TelemetryBaseRecorder {
    private ScheduledFuture<?> task;
    private boolean running;

    PeriodicStatsRecorder(String name, Environment env) {
        super(name, env);
        listen(env.events().testStart, e -> testStarted());
        listen(env.events().testStop, e -> finish());
    }

    @Override
    protected final String loggerName() {
        return StandardNames.LOGGER;
    }

    /** Forgets the previous test, before the first interval of the next. */
    protected abstract void starting();

    /** One interval's record. */
    protected abstract void recordInterval();

    /** The test's last records, once per test. */
    protected abstract void recordFinal();

    /** True between a test's start and its final record. */
    protected final synchronized boolean running() {
        return running;
    }

    private synchronized void testStarted() {
        if (task != null) {
            task.cancel(false);
        }
        running = true;
        starting();
        task = every(settings().statsInterval(), this::interval);
    }

    private synchronized void interval() {
        if (running) {
            recordInterval();
        }
    }

    private synchronized void finish() {
        if (!running) {
            return;
        }
        running = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        recordFinal();
    }

    /** A test still running when the process goes away gets its final records. */
    @Override
    public final void flush() {
        finish();
    }

    @Override
    protected final void onClose() {
        finish();
    }
}
