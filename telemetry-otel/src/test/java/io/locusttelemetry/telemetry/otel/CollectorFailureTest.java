package io.locusttelemetry.telemetry.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.locusttelemetry.telemetry.otel.internal.DeliveryTracker;
import io.locusttelemetry.telemetry.otel.internal.OtelNames;
import io.locusttelemetry.testing.Ports;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A collector that is down or failing never stops or slows the run: the run ends normally, in a
 * bounded time, with exactly one warning line saying what was not delivered, and nothing logged
 * per failed export.
 */
class CollectorFailureTest {

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http/protobuf"})
    void collectorDownEndsWithOneWarning(String protocol) throws Exception {
        int down = Ports.free();
        try (LogCapture logs = new LogCapture()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of(
                    "lt_otel_exporter_otlp_endpoint", "http://127.0.0.1:" + down,
                    "lt_otel_exporter_otlp_protocol", protocol,
                    "lt_otel_traces_sampler_ratio", 1.0,
                    "lt_stats_recorder_interval", 0.3), TestUsers.BusyUser.class);
            long started = System.nanoTime();
            // the busy user makes requests as fast as it can: the failing exports must not hold it up
            run.runUntil(2, () -> System.nanoTime() - started > 2_500_000_000L, Duration.ofSeconds(20));
            assertThat(run.requests()).isGreaterThan(1000);
            DeliveryTracker tracker = run.recorder().pipeline().tracker();
            long closing = System.nanoTime();
            run.close();
            Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);

            // the docs promise at most 2.5 s for a collector that already failed; the rest is the run's own end
            assertThat(closeTook).isLessThan(Duration.ofMillis(3000));
            assertThat(tracker.metricExportsDelivered()).isZero();
            assertThat(tracker.spansNotDelivered()).isPositive().isEqualTo(tracker.spansEnded());
            List<String> warnings = logs.warnings();
            assertThat(warnings).hasSize(1);
            // ~2.5 s at 0.3 s intervals: every interval counts, also those the retrying exporter skipped
            long intervals = tracker.exportIntervals();
            assertThat(intervals).isGreaterThanOrEqualTo(8);
            assertThat(warnings.get(0)).contains("OpenTelemetry export to http://127.0.0.1:" + down + " (" + protocol + ") incomplete",
                    "the metrics of all " + intervals + " export intervals were not delivered", "sampled spans were not delivered",
                    "log records were not delivered", "last error: ConnectException").doesNotContain("Canceled");
            assertThat(logs.julWarnings()).isEmpty();
        }
    }

    @Test
    void collectorBackBeforeTheEndGetsTheCompleteTotals() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); LogCapture logs = new LogCapture()) {
            receiver.failWith(Status.UNAVAILABLE.withDescription("collector overloaded"));
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of(
                    "lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_otel_traces", false,
                    "lt_stats_recorder_interval", 0.3), TestUsers.BusyUser.class);
            DeliveryTracker[] tracker = new DeliveryTracker[1];
            run.runUntil(2, () -> {
                tracker[0] = run.recorder().pipeline().tracker();
                return tracker[0].metricExportsFailed() >= 1;
            }, Duration.ofSeconds(20));
            receiver.failWith(null);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> tracker[0].metricExportsDelivered() >= 1);
            run.close();

            // cumulative temporality: the final export carries every request of the run
            Metric success = receiver.latest(OtelNames.REQUEST_SUCCESS).item();
            assertThat(success.getHistogram().getDataPointsList().stream().mapToLong(HistogramDataPoint::getCount).sum())
                    .isEqualTo(run.requests());
            List<String> warnings = logs.warnings();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("export intervals were not delivered (the final one was: the totals are complete)",
                    "the collector answered UNAVAILABLE: collector overloaded").doesNotContain("spans");
            assertThat(logs.julWarnings()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http/protobuf"})
    void theWarningSaysWhatTheCollectorAnswered(String protocol) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); LogCapture logs = new LogCapture()) {
            receiver.failWith(Status.UNAVAILABLE.withDescription("collector overloaded"));
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of(
                    "lt_otel_exporter_otlp_endpoint", receiver.endpoint(protocol),
                    "lt_otel_exporter_otlp_protocol", protocol,
                    "lt_otel_traces", false,
                    "lt_stats_recorder_interval", 0.3), TestUsers.ManyNamesUser.class);
            run.runUntil(1, () -> run.recorder().pipeline().tracker().metricExportsFailed() >= 2, Duration.ofSeconds(20));
            long closing = System.nanoTime();
            run.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofMillis(3000));
            assertThat(logs.warnings()).singleElement().asString().contains("the metrics of all", "export intervals were not delivered",
                    "log records were not delivered", protocol.equals("grpc") ? "the collector answered UNAVAILABLE: collector overloaded"
                            : "the collector answered HTTP 503").doesNotContain("Canceled", "last error");
        }
    }

    @Test
    void aHealthyCollectorGivesNoWarning() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); LogCapture logs = new LogCapture()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of(
                    "lt_otel_exporter_otlp_endpoint", receiver.endpoint("http/protobuf"),
                    "lt_otel_exporter_otlp_protocol", "http/protobuf",
                    "lt_otel_traces_sampler_ratio", 1.0), TestUsers.ManyNamesUser.class);
            run.runUntil(1, () -> run.requests() > 100, Duration.ofSeconds(20));
            run.close();
            assertThat(logs.warnings()).isEmpty();
            assertThat(run.recorder().pipeline().tracker().spansNotDelivered()).isZero();
        }
    }
}
