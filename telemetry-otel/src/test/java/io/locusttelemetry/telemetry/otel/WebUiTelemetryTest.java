package io.locusttelemetry.telemetry.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.locusttelemetry.telemetry.DeliveryStatus;
import io.locusttelemetry.telemetry.SampledRequest;
import io.locusttelemetry.telemetry.otel.internal.OtelRecorder;
import io.locusttelemetry.testing.Ports;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the web UI reads of the otel recorder through the telemetry API, against a real OTLP
 * receiver: the slowest traced requests of the last minute carry the trace ids of spans the
 * receiver got, and the delivery status follows what the collector does.
 */
class WebUiTelemetryTest {

    @Test
    void theSlowestTracedRequestsAreExportedSpansAndDeliveryFollowsTheCollector() throws Exception {
        TestUsers.closedPort = Ports.free();
        try (OtlpReceiver receiver = OtlpReceiver.start(); TestTarget target = new TestTarget()) {
            OtelRun run = OtelRun.local(target.url(), Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_otel_traces_sampler_ratio", 1.0), TestUsers.ShopUser.class);
            try {
                OtelRecorder recorder = run.recorder();
                run.runner.start(4, 100);
                await().atMost(Duration.ofSeconds(30)).until(() -> run.requests() > 200 && receiver.metricRequests().size() >= 2);
                List<SampledRequest> slowest = recorder.slowest(Duration.ofMinutes(1), 10);
                assertThat(slowest).hasSize(10);
                assertThat(slowest).isSortedAccordingTo((a, b) -> Double.compare(b.responseTime(), a.responseTime()));
                assertThat(slowest).allSatisfy(r -> {
                    assertThat(r.traceId()).matches("[0-9a-f]{32}");
                    assertThat(r.timestampMillis()).isGreaterThan(System.currentTimeMillis() - 60_000);
                });
                double slowestEngine = run.env.stats().snapshot().total().maxResponseTime();
                assertThat(slowest.get(0).responseTime()).isLessThanOrEqualTo(slowestEngine + 1);
                DeliveryStatus ok = recorder.deliveryStatus();
                assertThat(ok.state()).isEqualTo(DeliveryStatus.State.DELIVERING);
                assertThat(ok.delivered()).isPositive();
                assertThat(ok.target()).contains(String.valueOf(receiver.grpcPort()));
                run.runner.stop();
                await().atMost(Duration.ofSeconds(15)).until(() -> {
                    Set<String> exported = receiver.spans().stream().map(s -> HexFormat.of().formatHex(s.item().getTraceId().toByteArray()))
                            .collect(Collectors.toSet());
                    return exported.containsAll(slowest.stream().map(SampledRequest::traceId).toList());
                });

                receiver.failWith(Status.UNAVAILABLE.withDescription("collector overloaded"));
                run.runner.start(2, 100);
                await().atMost(Duration.ofSeconds(20)).until(() -> recorder.deliveryStatus().state() == DeliveryStatus.State.FAILING);
                assertThat(recorder.deliveryStatus().failed()).isPositive();
                assertThat(recorder.deliveryStatus().detail()).contains("UNAVAILABLE");
            } finally {
                run.close();
            }
        }
    }
}
