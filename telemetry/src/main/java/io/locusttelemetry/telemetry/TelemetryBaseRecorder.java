package io.locusttelemetry.telemetry;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.EventHook;
import io.locusttelemetry.engine.Runner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of every telemetry recorder. A recorder subscribes to the engine's events in its
 * constructor with {@link #listen}, schedules periodic work with {@link #every} (typically from
 * {@code testStart}, cancelled on {@code testStop}) and emits records with {@link #logTelemetry},
 * which adds the common context of every record: {@code source}, {@code source_id}, {@code run_id}
 * and {@code testplan}. On {@code quitting} the coordinator calls {@link #close()}, which removes
 * every listener and scheduled task the recorder made through this class.
 *
 * <p>A recorder is bound to its environment's {@link TelemetryCoordinator} when its plugin's
 * {@code load...TelemetryRecorders} returns; do not emit records from the constructor.
 */
public abstract class TelemetryBaseRecorder {
    private static final Logger log = LoggerFactory.getLogger(TelemetryBaseRecorder.class);

    private final String name;
    private final Environment env;
    private volatile TelemetryCoordinator coordinator;
    private volatile String pluginId;
    private final List<Subscription<?>> subscriptions = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> tasks = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private record Subscription<E>(EventHook<E> hook, Consumer<? super E> listener) {
        void remove() {
            hook.removeListener(listener);
        }
    }

    /**
     * @param name a short name, e.g. {@code custom.activity}; the {@code name} field of its records is
     *             {@code locust_telemetry.<name>} unless {@link #loggerName()} says otherwise
     * @param env  the environment recorded
     */
    protected TelemetryBaseRecorder(String name, Environment env) {
        this.name = Objects.requireNonNull(name, "name");
        this.env = Objects.requireNonNull(env, "env");
    }

    /** This recorder's name. */
    public final String name() {
        return name;
    }

    /** The environment this recorder records. */
    public final Environment env() {
        return env;
    }

    /** The id of the plugin that loaded this recorder, or null before it was loaded. */
    public final String pluginId() {
        return pluginId;
    }

    /** The {@code name} field of this recorder's records. */
    protected String loggerName() {
        return "locust_telemetry." + name;
    }

    /** The coordinator this recorder is bound to. */
    public final TelemetryCoordinator coordinator() {
        TelemetryCoordinator c = coordinator;
        if (c == null) {
            throw new IllegalStateException("recorder '" + name + "' is not loaded by a TelemetryCoordinator yet"
                    + " (it is bound when its plugin's load...TelemetryRecorders returns; do not record from the constructor)");
        }
        return c;
    }

    /** The runner of the environment. */
    protected final Runner runner() {
        return env.runner();
    }

    /** The metadata of the current run, or null before the first test started (or, on a worker, before it arrived). */
    protected final TestMetadata metadata() {
        return coordinator().current();
    }

    /** The settings of the core telemetry options. */
    protected final TelemetrySettings settings() {
        return coordinator().settings();
    }

    /** The sampler of this process's CPU, memory, network and JVM usage, shared by all recorders. */
    protected final SystemUsageSampler systemUsage() {
        return coordinator().systemUsage();
    }

    /** Subscribes {@code listener} to {@code hook} until {@link #close()}. */
    protected final <E> void listen(EventHook<E> hook, Consumer<? super E> listener) {
        hook.addListener(listener);
        subscriptions.add(new Subscription<>(hook, listener));
    }

    /**
     * Runs {@code task} every {@code period} on the coordinator's telemetry thread, first after
     * {@code initialDelay}; an exception is logged and does not stop later runs. Cancel the returned
     * future to stop it; {@link #close()} cancels it too.
     */
    protected final ScheduledFuture<?> every(Duration initialDelay, Duration period, Runnable task) {
        Runnable safe = () -> {
            try {
                task.run();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                log.warn("telemetry recorder '{}': periodic task failed: {}", name, e.toString(), e);
            }
        };
        ScheduledFuture<?> f = coordinator().scheduler()
                .scheduleAtFixedRate(safe, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        tasks.removeIf(ScheduledFuture::isDone);
        tasks.add(f);
        return f;
    }

    /** Same as {@code every(period, period, task)}. */
    protected final ScheduledFuture<?> every(Duration period, Runnable task) {
        return every(period, period, task);
    }

    /**
     * Emits one record at level INFO.
     *
     * @param type          event or metrics
     * @param telemetryName e.g. {@code locust.tl.system.metric.cpu}
     * @param fields        the record's own fields, after the common context (keys must not be
     *                      {@code telemetry_type, telemetry_name, source, source_id, run_id, testplan})
     */
    public final void logTelemetry(TelemetryType type, String telemetryName, Map<String, ?> fields) {
        logTelemetry(TelemetryLevel.INFO, type, telemetryName, fields);
    }

    /** Emits one record at {@code level}; dropped when below {@code --lt-log-level}. */
    public final void logTelemetry(TelemetryLevel level, TelemetryType type, String telemetryName, Map<String, ?> fields) {
        if (closed) {
            return;
        }
        coordinator().emit(this, level, type, telemetryName, fields == null ? Map.of() : fields);
    }

    /** Emits an event record. */
    protected final void logEvent(String telemetryName, Map<String, ?> fields) {
        logTelemetry(TelemetryType.EVENT, telemetryName, fields);
    }

    /** Emits a metrics record with {@code value} and {@code unit}, then {@code extra} fields. */
    protected final void logMetric(String telemetryName, Object value, String unit, Map<String, ?> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("value", value);
        fields.put("unit", unit);
        if (extra != null) {
            fields.putAll(extra);
        }
        logTelemetry(TelemetryType.METRICS, telemetryName, fields);
    }

    /**
     * Called when the process is about to go away (the CLI's shutdown hook, after {@code quitting}
     * too): write whatever an unfinished test still owes, such as final statistics, then push out
     * buffers. Must be idempotent. Does nothing by default.
     */
    public void flush() {}

    /** Called by {@link #close()} before listeners are removed: last records, releasing outputs. */
    protected void onClose() {}

    /** Whether {@link #close()} was called. */
    public final boolean isClosed() {
        return closed;
    }

    /** Finishes this recorder: {@link #onClose()}, then removes its listeners and cancels its tasks. Idempotent. */
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                if (coordinator != null) {
                    onClose();
                }
            } catch (RuntimeException e) {
                log.warn("telemetry recorder '{}' failed while closing: {}", name, e.toString(), e);
            } finally {
                closed = true;
            }
        }
        for (Subscription<?> s : subscriptions) {
            s.remove();
        }
        subscriptions.clear();
        for (ScheduledFuture<?> f : tasks) {
            f.cancel(false);
        }
        tasks.clear();
    }

    /** Binds this recorder to its coordinator; done by the coordinator once. */
    final void bind(TelemetryCoordinator coordinator, String pluginId) {
        if (this.coordinator != null && this.coordinator != coordinator) {
            throw new IllegalStateException("recorder '" + name + "' is already bound to another coordinator");
        }
        this.coordinator = coordinator;
        this.pluginId = pluginId;
    }

    final String recordLoggerName() {
        return loggerName();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
