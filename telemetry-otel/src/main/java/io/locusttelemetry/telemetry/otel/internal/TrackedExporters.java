package io.locusttelemetry.telemetry.otel.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.function.Supplier;

/** The SDK's exporters, counted by a {@link DeliveryTracker}. */
final class TrackedExporters {
    private TrackedExporters() {}

    /** The exporter's result; an exporter that throws counts as a failed export, not a crash. */
    private static CompletableResultCode exported(Supplier<CompletableResultCode> export) {
        try {
            return export.get();
        } catch (RuntimeException e) {
            return CompletableResultCode.ofExceptionalFailure(e);
        }
    }

    /** The OTLP metric exporter built again without retries; any other exporter as it is. */
    static MetricExporter withoutRetries(MetricExporter exporter) {
        MetricExporter rebuilt = null;
        if (exporter instanceof io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter grpc) {
            rebuilt = grpc.toBuilder().setRetryPolicy(null).build();
        } else if (exporter instanceof io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter http) {
            rebuilt = http.toBuilder().setRetryPolicy(null).build();
        }
        if (rebuilt == null) {
            return exporter;
        }
        exporter.shutdown();
        return rebuilt;
    }

    /** A span or log export: counted as delivered when it succeeds; after the end of the run it fails at once. */
    private static CompletableResultCode counted(DeliveryTracker t, int n, java.util.concurrent.atomic.LongAdder delivered, String what,
            Supplier<CompletableResultCode> export) {
        if (t.spansClosed) {
            return CompletableResultCode.ofFailure();
        }
        CompletableResultCode r = exported(export);
        r.whenComplete(() -> {
            if (r.isSuccess()) {
                delivered.add(n);
            } else {
                t.failed(r.getFailureThrowable(), what);
            }
        });
        return r;
    }

    /** What the three wrappers share: the tracker, and flush, shutdown and name passed to the SDK's exporter. */
    private abstract static class Tracked {
        final DeliveryTracker t;
        private final Object delegate;
        private final Supplier<CompletableResultCode> flush;
        private final Supplier<CompletableResultCode> shutdown;

        Tracked(DeliveryTracker tracker, Object delegate, Supplier<CompletableResultCode> flush,
                Supplier<CompletableResultCode> shutdown) {
            this.t = tracker;
            this.delegate = delegate;
            this.flush = flush;
            this.shutdown = shutdown;
        }

        public CompletableResultCode flush() {
            return flush.get();
        }

        public CompletableResultCode shutdown() {
            return shutdown.get();
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }

    /** Only the {@code locust_telemetry} meter's metrics, none after the final flush. */
    static final class Metrics extends Tracked implements MetricExporter {
        private final MetricExporter delegate;

        Metrics(DeliveryTracker tracker, MetricExporter delegate) {
            super(tracker, delegate, delegate::flush, delegate::shutdown);
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            if (t.metricsFinal) {
                return CompletableResultCode.ofSuccess();
            }
            Collection<MetricData> batch = OtelNames.ours(metrics);
            long now = System.nanoTime();
            t.exportStarting(now);
            long seq = t.metricExportsStarted.incrementAndGet();
            t.currentExportStartNanos = now;
            t.metricExportsInFlight.incrementAndGet();
            CompletableResultCode r = exported(() -> delegate.export(batch));
            r.whenComplete(() -> {
                if (r.isSuccess()) {
                    t.metricExportsDelivered.increment();
                    t.lastMetricExportFailed = false;
                } else {
                    t.metricExportsFailed.increment();
                    t.lastMetricExportFailed = true;
                    t.failed(r.getFailureThrowable(), "metrics");
                }
                t.exportTook(System.nanoTime() - now);
                t.lastCompletedStart.accumulateAndGet(seq, Math::max);
                t.metricExportsInFlight.decrementAndGet();
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
    }

    static final class Spans extends Tracked implements SpanExporter {
        private final SpanExporter delegate;

        Spans(DeliveryTracker tracker, SpanExporter delegate) {
            super(tracker, delegate, delegate::flush, delegate::shutdown);
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return counted(t, spans.size(), t.spansDelivered, "span", () -> delegate.export(spans));
        }
    }

    static final class Logs extends Tracked implements LogRecordExporter {
        private final LogRecordExporter delegate;

        Logs(DeliveryTracker tracker, LogRecordExporter delegate) {
            super(tracker, delegate, delegate::flush, delegate::shutdown);
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
            t.logsExported.add(logs.size());
            return counted(t, logs.size(), t.logsDelivered, "log", () -> delegate.export(logs));
        }
    }
}
