package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.TelemetryRecord;
import io.locusttelemetry.telemetry.TelemetrySink;
import io.opentelemetry.api.logs.Logger;
import java.util.ArrayDeque;

/**
 * The {@code otel} recorder with {@code --lt-otel-logs} on: besides metrics and traces, every
 * telemetry record (the standard events, system and request statistics, and other plugins'
 * records) becomes an OTLP log record ({@link LogRecords}), exported with the same endpoint,
 * protocol and headers, and flushed at the end with the metrics. Being a sink, it makes the
 * coordinator load the standard records even when the {@code json} recorder is not enabled.
 *
 * <p>A worker's SDK starts at its first test start; records before that are held (at most
 * {@link #MAX_HELD}, the oldest dropped and counted as not delivered).
 */
public final class OtelLogRecorder extends OtelRecorder implements TelemetrySink {
    static final int MAX_HELD = 10_000;

    private final Object heldLock = new Object();
    private final ArrayDeque<TelemetryRecord> held = new ArrayDeque<>();
    private int dropped;
    private volatile boolean holding;

    public OtelLogRecorder(Environment env, OtelSettings otel, boolean events, boolean requests) {
        super(env, otel, events, requests);
    }

    @Override
    public void accept(TelemetryRecord record) {
        OtelPipeline p = pipeline();
        if (p == null || holding) {
            synchronized (heldLock) {
                p = pipeline();
                if (p == null) {
                    holding = true;
                    held.add(record);
                    if (held.size() > MAX_HELD) {
                        held.poll();
                        dropped++;
                    }
                    return;
                }
                drain(p);
            }
        }
        emit(p, record);
    }

    /** Records held before the SDK started go out first. */
    private void drain(OtelPipeline p) {
        while (!held.isEmpty()) {
            emit(p, held.poll());
        }
        for (; dropped > 0; dropped--) {
            p.tracker().logEmitted();
        }
        holding = false;
    }

    private static void emit(OtelPipeline p, TelemetryRecord record) {
        if (p.isClosed()) {
            return;
        }
        Logger logger = p.logger(record.logger());
        if (logger != null) {
            LogRecords.emit(logger, record);
            p.tracker().logEmitted();
        }
    }
}
