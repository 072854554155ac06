package io.locusttelemetry.telemetry;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Where the records of one environment go: it adds the common context ({@code source},
 * {@code source_id}, {@code run_id}, {@code testplan}) and hands each record to every sink (or to
 * SLF4J when there is none). Records emitted before the run's metadata is known (a worker ahead of
 * its master's {@code set_metadata}) are held back and emitted with the metadata once it arrives,
 * never with a wrong {@code run_id}.
 */
final class RecordRouter {
    private static final Logger log = LoggerFactory.getLogger(TelemetryCoordinator.class);
    private static final Set<String> CONTEXT_KEYS = Set.of("telemetry_type", "telemetry_name", "source", "source_id", "run_id", "testplan");

    private final int maxPending;
    private final List<TelemetrySink> sinks = new CopyOnWriteArrayList<>();
    private final Object pendingLock = new Object();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private volatile TestMetadata metadata;
    private volatile String defaultTestplan;
    private boolean overflowWarned;

    /** A record before its metadata is known. */
    record Pending(String logger, Instant time, TelemetryLevel level, TelemetryType type, String name,
            String source, String sourceId, Map<String, Object> fields) {}

    RecordRouter(int maxPending) {
        this.maxPending = maxPending;
    }

    List<TelemetrySink> sinks() {
        return sinks;
    }

    TestMetadata metadata() {
        return metadata;
    }

    /** The {@code testplan} of records whose metadata has none (the {@code --testplan} option). */
    void defaultTestplan(String testplan) {
        this.defaultTestplan = testplan;
    }

    /** Makes {@code md} the current metadata and emits the records held back for it. */
    void apply(TestMetadata md) {
        synchronized (pendingLock) {
            metadata = md;
            while (!pending.isEmpty()) {
                deliver(build(pending.poll(), md));
            }
        }
    }

    void emit(String logger, TelemetryLevel level, TelemetryType type, String name, String source, String sourceId,
            Map<String, ?> fields) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "telemetry name");
        for (String key : fields.keySet()) {
            if (CONTEXT_KEYS.contains(key)) {
                throw new IllegalArgumentException("telemetry field '" + key + "' is set by the common context and cannot be given");
            }
        }
        Pending p = new Pending(logger, Instant.now(), level, type, name, source, sourceId, new LinkedHashMap<>(fields));
        TestMetadata md = metadata;
        if (md == null) {
            synchronized (pendingLock) {
                md = metadata;
                if (md == null) {
                    pending.add(p);
                    if (pending.size() > maxPending) {
                        if (!overflowWarned) {
                            overflowWarned = true;
                            log.warn("no telemetry metadata (set_metadata) received yet; emitting the oldest held-back records without run_id");
                        }
                        deliver(build(pending.poll(), null));
                    }
                    return;
                }
            }
        }
        deliver(build(p, md));
    }

    /** Emits the records that never got their metadata, without {@code run_id} rather than not at all. */
    void drainWithoutMetadata() {
        synchronized (pendingLock) {
            if (!pending.isEmpty()) {
                log.warn("{} telemetry records never got their metadata (set_metadata); emitting them without run_id", pending.size());
                while (!pending.isEmpty()) {
                    deliver(build(pending.poll(), null));
                }
            }
        }
    }

    private TelemetryRecord build(Pending p, TestMetadata md) {
        Map<String, Object> telemetry = new LinkedHashMap<>();
        telemetry.put("telemetry_type", p.type().wireName());
        telemetry.put("telemetry_name", p.name());
        telemetry.put("source", p.source());
        telemetry.put("source_id", p.sourceId());
        telemetry.put("run_id", md == null ? null : md.runId());
        telemetry.put("testplan", md != null && md.testplan() != null ? md.testplan() : defaultTestplan);
        telemetry.putAll(p.fields());
        String message = "Recording telemetry " + p.type().wireName() + ": " + p.name();
        return new TelemetryRecord(p.time(), p.level(), p.logger(), message, p.type(), p.name(), telemetry);
    }

    private void deliver(TelemetryRecord record) {
        if (sinks.isEmpty()) {
            Logger logger = LoggerFactory.getLogger(record.logger());
            logger.atLevel(slf4jLevel(record.level())).log("{} {}", record.message(), record.telemetry());
            return;
        }
        for (TelemetrySink sink : sinks) {
            try {
                sink.accept(record);
            } catch (RuntimeException e) {
                log.warn("telemetry sink {} failed: {}", sink, e.toString());
            }
        }
    }

    /** Flushes every sink, or only those that are not recorders (the recorders flush when they close). */
    void flushSinks(boolean recordersToo) {
        for (TelemetrySink s : sinks) {
            if (!recordersToo && s instanceof TelemetryBaseRecorder) {
                continue;
            }
            try {
                s.flush();
            } catch (RuntimeException e) {
                log.warn("telemetry sink {} failed to flush: {}", s, e.toString());
            }
        }
    }

    private static Level slf4jLevel(TelemetryLevel level) {
        return switch (level) {
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARN;
            case ERROR, CRITICAL -> Level.ERROR;
        };
    }
}
