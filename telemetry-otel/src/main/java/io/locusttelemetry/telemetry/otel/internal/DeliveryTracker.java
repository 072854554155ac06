package io.locusttelemetry.telemetry.otel.internal;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the SDK's exporters delivered and what they did not, so that a run against a
 * collector that is down or failing ends with one warning line instead of a log line per failed
 * export. It wraps the exporters autoconfigure builds (it exports nothing itself) and counts
 * sampled spans as they end, so spans the batch processor dropped from its full queue are counted
 * too.
 *
 * <p>Only the {@code locust_telemetry} meter's metrics are exported: the SDK's own (batch span
 * processor, exporters) are left out.
 *
 * <p>After {@link #finalMetricsFlushed} further metric exports are skipped (the shutdown's own
 * export would repeat the final one, and wait for a collector that is down); after
 * {@link #closeSpans()} span exports fail at once and count as not delivered.
 */
public final class DeliveryTracker {
    private static final Logger log = LoggerFactory.getLogger(DeliveryTracker.class);

    private final AtomicLong metricExportsStarted = new AtomicLong();
    private final AtomicLong lastCompletedStart = new AtomicLong();
    private final AtomicLong metricExportsInFlight = new AtomicLong();
    private final LongAdder metricExportsFailed = new LongAdder();
    private final LongAdder metricExportsDelivered = new LongAdder();
    private volatile long currentExportStartNanos;
    private volatile boolean lastMetricExportFailed;
    private volatile boolean finalMetricExportFailed;
    private volatile boolean metricsFinal;
    private volatile boolean hasMetricExporter;

    private final LongAdder spansEnded = new LongAdder();
    private final LongAdder spansDelivered = new LongAdder();
    private volatile boolean spansClosed;
    private volatile boolean hasSpanExporter;

    private volatile String lastError;

    /** Wraps a metric exporter built by autoconfigure. */
    public MetricExporter metrics(MetricExporter exporter) {
        hasMetricExporter = true;
        return new TrackingMetricExporter(exporter);
    }

    /** Wraps a span exporter built by autoconfigure. */
    public SpanExporter spans(SpanExporter exporter) {
        hasSpanExporter = true;
        return new TrackingSpanExporter(exporter);
    }

    /** Counts sampled spans as they end. */
    public SpanProcessor spanCounter() {
        return new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {}

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                if (span.getSpanContext().isSampled()) {
                    spansEnded.increment();
                }
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
    }

    /** Whether an export started after the {@code before}-th one has completed (delivered or not). */
    boolean metricExportCompletedAfter(long before) {
        return lastCompletedStart.get() > before;
    }

    boolean hasMetricExporter() {
        return hasMetricExporter;
    }

    boolean hasSpanExporter() {
        return hasSpanExporter;
    }

    /** Whether the latest metric export failed. */
    public boolean lastMetricExportFailed() {
        return lastMetricExportFailed;
    }

    /**
     * Whether the collector looks down or failing: the latest metric export failed, or one has been
     * under way for more than a second (the exporter retrying a refused connection).
     */
    public boolean collectorLooksDown() {
        return lastMetricExportFailed
                || metricExportsInFlight.get() > 0 && System.nanoTime() - currentExportStartNanos > 1_000_000_000L;
    }

    /** The final flush is over: later metric exports (the shutdown's) are skipped. */
    void finalMetricsFlushed(boolean delivered) {
        finalMetricExportFailed = !delivered;
        metricsFinal = true;
    }

    /** Span exports from now on fail at once. */
    void closeSpans() {
        spansClosed = true;
    }

    /** Sampled spans that ended and were not delivered (failed exports, dropped from the full queue, or never exported). */
    public long spansNotDelivered() {
        return Math.max(0, spansEnded.sum() - spansDelivered.sum());
    }

    public long spansEnded() {
        return spansEnded.sum();
    }

    /** Metric exports that completed with a failure. */
    public long metricExportsFailed() {
        return metricExportsFailed.sum();
    }

    /** Metric exports started (skipped ones after the final flush not counted). */
    public long metricExportsStarted() {
        return metricExportsStarted.get();
    }

    /** Metric exports the collector accepted. */
    public long metricExportsDelivered() {
        return metricExportsDelivered.sum();
    }

    /**
     * One line saying what was not delivered, or null when everything was.
     *
     * @param target where exports went, e.g. {@code http://collector:4317 (grpc)}; never contains headers
     */
    public String summary(String target) {
        List<String> parts = new ArrayList<>();
        long started = metricExportsStarted.get();
        long delivered = metricExportsDelivered.sum();
        long missing = started - delivered;
        if (hasMetricExporter && (missing > 0 || finalMetricExportFailed)) {
            if (delivered == 0) {
                parts.add("none of the " + started + " metric exports was delivered");
            } else if (finalMetricExportFailed) {
                parts.add(missing + " of " + started + " metric exports were not delivered, the final one included"
                        + " (the totals since the last delivered export are missing)");
            } else {
                parts.add(missing + " of " + started + " metric exports were not delivered (the final one was: the totals are complete)");
            }
        }
        long spans = spansNotDelivered();
        if (hasSpanExporter && spans > 0) {
            parts.add(spans + " of " + spansEnded.sum() + " sampled spans were not delivered");
        }
        if (parts.isEmpty()) {
            return null;
        }
        String error = lastError;
        return "OpenTelemetry export to " + target + " incomplete: " + String.join("; ", parts)
                + (error != null ? "; last error: " + error : "");
    }

    private void failed(Throwable t, String what) {
        String message = describe(t);
        lastError = message;
        log.debug("OpenTelemetry {} export failed: {}", what, message);
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "the exporter reported a failure";
        }
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String m = cause.getMessage();
        String text = cause.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
        if (cause != t && t.getMessage() != null && !t.getMessage().isBlank()) {
            text = t.getMessage() + " (" + text + ")";
        }
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** The exporter's result; an exporter that throws counts as a failed export, not a crash. */
    private static CompletableResultCode exported(java.util.function.Supplier<CompletableResultCode> export) {
        try {
            return export.get();
        } catch (RuntimeException e) {
            return CompletableResultCode.ofExceptionalFailure(e);
        }
    }

    private final class TrackingMetricExporter implements MetricExporter {
        private final MetricExporter delegate;

        TrackingMetricExporter(MetricExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            if (metricsFinal) {
                return CompletableResultCode.ofSuccess();
            }
            metrics = OtelNames.ours(metrics);
            long seq = metricExportsStarted.incrementAndGet();
            currentExportStartNanos = System.nanoTime();
            metricExportsInFlight.incrementAndGet();
            Collection<MetricData> batch = metrics;
            CompletableResultCode r = exported(() -> delegate.export(batch));
            r.whenComplete(() -> {
                if (r.isSuccess()) {
                    metricExportsDelivered.increment();
                    lastMetricExportFailed = false;
                } else {
                    metricExportsFailed.increment();
                    lastMetricExportFailed = true;
                    failed(r.getFailureThrowable(), "metrics");
                }
                lastCompletedStart.accumulateAndGet(seq, Math::max);
                metricExportsInFlight.decrementAndGet();
            });
            return r;
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return delegate.getAggregationTemporality(instrumentType);
        }

        @Override
        public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
            return delegate.getDefaultAggregation(instrumentType);
        }

        @Override
        public MemoryMode getMemoryMode() {
            return delegate.getMemoryMode();
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }

    private final class TrackingSpanExporter implements SpanExporter {
        private final SpanExporter delegate;

        TrackingSpanExporter(SpanExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            if (spansClosed) {
                return CompletableResultCode.ofFailure();
            }
            int n = spans.size();
            CompletableResultCode r = exported(() -> delegate.export(spans));
            r.whenComplete(() -> {
                if (r.isSuccess()) {
                    spansDelivered.add(n);
                } else {
                    failed(r.getFailureThrowable(), "span");
                }
            });
            return r;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
