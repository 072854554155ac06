package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.telemetry.DeliveryStatus;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the SDK's exporters delivered and what they did not, so that a run against a
 * collector that is down or failing ends with one warning line instead of a log line per failed
 * export: how many export intervals' metrics, sampled spans and log records did not arrive, and
 * what the collector answered. It wraps the exporters autoconfigure builds
 * ({@link TrackedExporters}; it exports nothing itself) and counts sampled spans as they end, so
 * spans the batch processor dropped from its full queue are counted too.
 *
 * <p>After {@link #finalMetricsFlushed} further metric exports are skipped (the shutdown's own
 * export would repeat the final one, and wait for a collector that is down); after
 * {@link #closeSpansAndLogs()} span and log exports fail at once and count as not delivered.
 */
public final class DeliveryTracker {
    private static final Logger log = LoggerFactory.getLogger(DeliveryTracker.class);

    private final long intervalNanos;
    final AtomicLong metricExportsStarted = new AtomicLong();
    final AtomicLong lastCompletedStart = new AtomicLong();
    final AtomicLong metricExportsInFlight = new AtomicLong();
    final LongAdder metricExportsFailed = new LongAdder();
    final LongAdder metricExportsDelivered = new LongAdder();
    volatile long currentExportStartNanos;
    /** Intervals the SDK skipped while an export was under way, from the gaps between export starts. */
    final AtomicLong skippedIntervals = new AtomicLong();
    private long lastExportStartNanos;
    private long lastExportNanos;
    volatile boolean lastMetricExportFailed;
    private volatile boolean finalMetricExportFailed;
    volatile boolean metricsFinal;
    private volatile boolean hasMetricExporter;

    private final LongAdder spansEnded = new LongAdder();
    final LongAdder spansDelivered = new LongAdder();
    final LongAdder logsExported = new LongAdder();
    private final LongAdder logsEmitted = new LongAdder();
    final LongAdder logsDelivered = new LongAdder();
    volatile boolean spansClosed;
    private volatile boolean hasSpanExporter;
    private volatile boolean hasLogExporter;

    private volatile String lastError;
    private volatile String collectorAnswer;

    /** @param exportInterval the metric export interval ({@code --lt-stats-recorder-interval}) */
    public DeliveryTracker(Duration exportInterval) {
        this.intervalNanos = Math.max(1, exportInterval.toNanos());
    }

    /**
     * Wraps a metric exporter built by autoconfigure, without its retries: every export carries the
     * cumulative totals, so the next interval makes up for a lost one, while a retry would only hold
     * up the next export (the SDK drops intervals meanwhile) and hide what the collector answered.
     */
    public MetricExporter metrics(MetricExporter exporter) {
        hasMetricExporter = true;
        return new TrackedExporters.Metrics(this, TrackedExporters.withoutRetries(exporter));
    }

    /** Wraps a span exporter built by autoconfigure. */
    public SpanExporter spans(SpanExporter exporter) {
        hasSpanExporter = true;
        return new TrackedExporters.Spans(this, exporter);
    }

    /** Wraps a log record exporter built by autoconfigure. */
    public LogRecordExporter logs(LogRecordExporter exporter) {
        hasLogExporter = true;
        return new TrackedExporters.Logs(this, exporter);
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

    /** Span and log exports from now on fail at once. */
    void closeSpansAndLogs() {
        spansClosed = true;
    }

    /** Sampled spans that ended and were not delivered (failed exports, dropped from the full queue, or never exported). */
    public long spansNotDelivered() {
        return Math.max(0, spansEnded.sum() - spansDelivered.sum());
    }

    public long spansEnded() {
        return spansEnded.sum();
    }

    /** Counts a record handed to the SDK's logger (some may never reach the exporter: a full queue, the end). */
    void logEmitted() {
        logsEmitted.increment();
    }

    /** Log records emitted that the collector did not accept. */
    public long logsNotDelivered() {
        return Math.max(0, Math.max(logsEmitted.sum(), logsExported.sum()) - logsDelivered.sum());
    }

    /** Log records the collector accepted. */
    public long logsDelivered() {
        return logsDelivered.sum();
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
     * An export starts: when the previous one was under way for longer than an interval, the SDK
     * skipped the intervals meanwhile (it exports one batch at a time), which the gap tells.
     */
    synchronized void exportStarting(long now) {
        if (lastExportStartNanos != 0 && lastExportNanos > intervalNanos) {
            long missed = Math.round((double) (now - lastExportStartNanos) / intervalNanos) - 1;
            if (missed > 0) {
                skippedIntervals.addAndGet(missed);
            }
        }
        lastExportStartNanos = now;
        lastExportNanos = 0;
    }

    /** An export completed after {@code nanos}. */
    synchronized void exportTook(long nanos) {
        lastExportNanos = nanos;
    }

    /**
     * Export intervals of the run so far, the final flush included: the exports started, and the
     * intervals the SDK skipped while an export was under way (a collector that does not answer).
     */
    public long exportIntervals() {
        return metricExportsStarted.get() + skippedIntervals.get();
    }

    /**
     * What a web UI shows of the exports: failing while the collector looks down, waiting before
     * the first export, local when nothing is pushed (a Prometheus endpoint only).
     *
     * @param target where exports go; never contains headers
     */
    public DeliveryStatus status(String recorder, String target, boolean prometheus) {
        long delivered = metricExportsDelivered.sum();
        long failedExports = metricExportsFailed.sum();
        String answer = collectorAnswer != null ? collectorAnswer : lastError;
        long spans = spansNotDelivered();
        String detail = answer == null && spans == 0 ? null
                : (answer == null ? "" : answer) + (spans > 0 ? (answer == null ? "" : "; ") + spans + " sampled spans not delivered" : "");
        if (!hasMetricExporter && !hasSpanExporter && !hasLogExporter) {
            return new DeliveryStatus(recorder, prometheus ? "Prometheus endpoint (pulled)" : target, DeliveryStatus.State.LOCAL, 0, 0, null);
        }
        DeliveryStatus.State state = collectorLooksDown() ? DeliveryStatus.State.FAILING
                : delivered == 0 && failedExports == 0 ? DeliveryStatus.State.WAITING : DeliveryStatus.State.DELIVERING;
        return new DeliveryStatus(recorder, target, state, delivered, failedExports, detail);
    }

    /**
     * One line saying what was not delivered and what the collector said, or null when everything was.
     *
     * @param target where exports went, e.g. {@code http://collector:4317 (grpc)}; never contains headers
     */
    public String summary(String target) {
        List<String> parts = new ArrayList<>();
        long intervals = exportIntervals();
        long delivered = Math.min(intervals, metricExportsDelivered.sum());
        long missing = intervals - delivered;
        if (hasMetricExporter && (missing > 0 || finalMetricExportFailed)) {
            if (delivered == 0) {
                parts.add("the metrics of all " + intervals + " export intervals were not delivered");
            } else if (finalMetricExportFailed) {
                parts.add("the metrics of " + missing + " of " + intervals + " export intervals were not delivered, the final one"
                        + " included (the totals since the last delivered export are missing)");
            } else {
                parts.add("the metrics of " + missing + " of " + intervals + " export intervals were not delivered (the final one"
                        + " was: the totals are complete)");
            }
        }
        long spans = spansNotDelivered();
        if (hasSpanExporter && spans > 0) {
            parts.add(spans + " of " + spansEnded.sum() + " sampled spans were not delivered");
        }
        long records = logsNotDelivered();
        if (hasLogExporter && records > 0) {
            parts.add(records + " of " + Math.max(logsEmitted.sum(), logsExported.sum()) + " log records were not delivered");
        }
        if (parts.isEmpty()) {
            return null;
        }
        String answer = collectorAnswer;
        String error = lastError;
        return "OpenTelemetry export to " + target + " incomplete: " + String.join("; ", parts)
                + (answer != null ? "; the collector answered " + answer : error != null ? "; last error: " + error : "");
    }

    /** Notes a failed export: the collector's answer if it gave one, else the cause (a cancellation never hides an earlier error). */
    void failed(Throwable t, String what) {
        String answer = ExportErrors.collectorAnswer(t);
        if (answer != null) {
            collectorAnswer = answer;
        } else if (lastError == null || !ExportErrors.isCancellation(t)) {
            lastError = ExportErrors.describe(t);
        }
        log.debug("OpenTelemetry {} export failed: {}", what, answer != null ? answer : ExportErrors.describe(t));
    }
}
