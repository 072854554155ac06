package io.locusttelemetry.telemetry.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.locusttelemetry.testing.Ports;
import io.locusttelemetry.engine.RequestContext;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.telemetry.otel.OtlpReceiver.Received;
import io.locusttelemetry.telemetry.otel.internal.OtelNames;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traces for any protocol: a gRPC-style user puts each request's context into its call's metadata
 * with {@code measure(..., request -> ...)}, a Kafka-style one with {@code startRequest} and
 * {@code reportRequest}; the carriers receive the traceparent of an exported span (and the run's
 * baggage). With the head sampler dropping everything, the failed and slow requests' tasks are
 * exported all the same, under the ids their traceparent carried, and exemplars point at them.
 */
class TracesBeyondHttpTest {
    private static final HexFormat HEX = HexFormat.of();
    static final List<Map<String, String>> GRPC_METADATA = new CopyOnWriteArrayList<>();
    static final List<Map<String, String>> KAFKA_HEADERS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clear() {
        GRPC_METADATA.clear();
        KAFKA_HEADERS.clear();
    }

    /** Calls a made-up gRPC stub with the request's context in its metadata. */
    public static class GrpcUser extends User {
        public GrpcUser() {
            waitTime(constant(0.01));
        }

        @Task(3)
        public void getItem() throws Exception {
            measure("grpc", "Inventory/Get", request -> {
                Map<String, String> metadata = new HashMap<>();
                request.inject(metadata::put);
                metadata.put("request.traceparent()", String.valueOf(request.traceparent()));
                GRPC_METADATA.add(metadata);
                return "item";
            });
        }

        @Task
        public void publish() {
            RequestContext request = startRequest("kafka", "orders");
            Map<String, String> headers = new HashMap<>();
            request.inject(headers::put);
            KAFKA_HEADERS.add(headers);
            reportRequest(request, 2, 64, null);
        }
    }

    /** Mostly fine; a failing call and a slow one now and then. */
    public static class FlakyUser extends User {
        private int n;

        public FlakyUser() {
            waitTime(constant(0.005));
        }

        @Task
        public void order() throws Exception {
            int i = n++;
            measure("grpc", "Orders/Check", request -> "ok");
            if (i % 10 == 3) {
                try {
                    measure("grpc", "Orders/Place", request -> {
                        Map<String, String> metadata = new HashMap<>();
                        request.inject(metadata::put);
                        GRPC_METADATA.add(metadata);
                        throw new IllegalStateException("out of stock");
                    });
                } catch (IllegalStateException expected) {
                    // counted as a failure
                }
            } else if (i % 10 == 7) {
                measure("grpc", "Orders/Slow", request -> {
                    Map<String, String> metadata = new HashMap<>();
                    request.inject(metadata::put);
                    KAFKA_HEADERS.add(metadata);
                    Thread.sleep(60);
                    return "late";
                });
            }
        }
    }

    @Test
    void theCarrierGetsTheTraceparentOfAnExportedSpanAndTheRunsBaggage() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_otel_traces_sampler_ratio", 1.0, "lt_otel_baggage", true), GrpcUser.class);
            run.runUntil(2, () -> GRPC_METADATA.size() > 20 && KAFKA_HEADERS.size() > 5, Duration.ofSeconds(20));
            String runId = run.coordinator.current().runId();
            run.close();

            Map<String, Span> byTraceparent = receiver.spans().stream().map(Received::item)
                    .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
                    .collect(Collectors.toMap(s -> "00-" + hex(s.getTraceId()) + "-" + hex(s.getSpanId()) + "-01", s -> s));
            Map<ByteString, Span> byId = receiver.spans().stream().map(Received::item).collect(Collectors.toMap(Span::getSpanId, s -> s));
            assertThat(GRPC_METADATA).allSatisfy(md -> {
                assertThat(md).containsOnlyKeys("traceparent", "baggage", "request.traceparent()");
                assertThat(md.get("request.traceparent()")).isEqualTo(md.get("traceparent"));
                assertThat(md.get("baggage")).isEqualTo("locust.run_id=" + runId + ",locust.testplan=checkout");
            });
            // a request still running when the test stopped is not reported, so its span is not exported
            long matched = GRPC_METADATA.stream().filter(md -> byTraceparent.containsKey(md.get("traceparent"))).count();
            assertThat(matched).isBetween(GRPC_METADATA.size() - 2L, (long) GRPC_METADATA.size());
            Span grpc = byTraceparent.get(GRPC_METADATA.get(0).get("traceparent"));
            assertThat(grpc.getName()).isEqualTo("grpc Inventory/Get");
            assertThat(OtlpReceiver.attributes(grpc.getAttributesList())).containsEntry("locust.request.type", "grpc")
                    .containsEntry("locust.request.name", "Inventory/Get").containsEntry("run_id", runId).doesNotContainKey("http.request.method");
            assertThat(byId.get(grpc.getParentSpanId()).getName()).isEqualTo("task GrpcUser.getItem");
            // the span covers the call: it started before the action ran
            assertThat(grpc.getEndTimeUnixNano()).isGreaterThan(grpc.getStartTimeUnixNano());

            Map<String, String> kafka = KAFKA_HEADERS.get(0);
            Span published = byTraceparent.get(kafka.get("traceparent"));
            assertThat(published).isNotNull();
            assertThat(published.getName()).isEqualTo("kafka orders");
            assertThat(byId.get(published.getParentSpanId()).getName()).isEqualTo("task GrpcUser.publish");
        }
    }

    @Test
    void withoutSamplingTheCarrierGetsANotSampledTraceparentAndNothingIsExported() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_otel_traces_sampler_ratio", 0.0, "lt_otel_baggage", true), GrpcUser.class);
            run.runUntil(2, () -> GRPC_METADATA.size() > 20, Duration.ofSeconds(20));
            run.close();
            assertThat(receiver.spans()).isEmpty();
            assertThat(GRPC_METADATA).allSatisfy(md -> {
                assertThat(md.get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
                assertThat(md.get("baggage")).startsWith("locust.run_id=");
            });
            assertThat(GRPC_METADATA.stream().map(md -> md.get("traceparent").substring(3, 35)).distinct().count())
                    .isEqualTo(GRPC_METADATA.size());
        }
    }

    @Test
    void failedAndSlowRequestsKeepTheirTasksTraceThoughTheSamplerDroppedIt() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_otel_traces_sampler_ratio", 0.0, "lt_otel_traces_keep_errors", true, "lt_otel_traces_slow_ms", 40.0),
                    FlakyUser.class);
            run.runUntil(2, () -> GRPC_METADATA.size() >= 5 && KAFKA_HEADERS.size() >= 5, Duration.ofSeconds(30));
            run.close();

            List<Span> spans = receiver.spans().stream().map(Received::item).toList();
            Map<ByteString, Span> byId = spans.stream().collect(Collectors.toMap(Span::getSpanId, s -> s));
            Set<String> names = spans.stream().map(Span::getName).collect(Collectors.toSet());
            assertThat(names).containsExactlyInAnyOrder("task FlakyUser.order", "grpc Orders/Check", "grpc Orders/Place", "grpc Orders/Slow");
            List<Span> failed = spans.stream().filter(s -> s.getName().equals("grpc Orders/Place")).toList();
            List<Span> slow = spans.stream().filter(s -> s.getName().equals("grpc Orders/Slow")).toList();
            List<Span> tasks = spans.stream().filter(s -> s.getName().startsWith("task ")).toList();
            // each kept task: its own span, its fine request and the failed or slow one, all in one trace
            assertThat(tasks).hasSize(failed.size() + slow.size());
            assertThat(spans).hasSize(3 * tasks.size());
            assertThat(failed).allSatisfy(s -> {
                assertThat(OtlpReceiver.attributes(s.getAttributesList())).containsEntry("locust.trace.kept", "error")
                        .containsEntry("error.type", "java.lang.IllegalStateException");
                assertThat(s.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
                Span task = byId.get(s.getParentSpanId());
                assertThat(task.getTraceId()).isEqualTo(s.getTraceId());
                assertThat(task.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
                assertThat(task.getParentSpanId().isEmpty()).isTrue();
            });
            // a slow call cut short by the test's stop failed (interrupted): kept as an error
            assertThat(slow.stream().filter(s -> s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR)).hasSizeLessThanOrEqualTo(2);
            assertThat(slow.stream().filter(s -> s.getStatus().getCode() != Status.StatusCode.STATUS_CODE_ERROR)).hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(s -> {
                        assertThat(OtlpReceiver.attributes(s.getAttributesList())).containsEntry("locust.trace.kept", "slow");
                        assertThat(s.getEndTimeUnixNano() - s.getStartTimeUnixNano()).isGreaterThan(40_000_000L);
                    });
            // the traceparent the call carried (not sampled: the head decision) names the exported span
            Set<String> exported = spans.stream().map(s -> hex(s.getTraceId()) + "-" + hex(s.getSpanId())).collect(Collectors.toSet());
            for (Map<String, String> md : List.of(GRPC_METADATA.get(0), KAFKA_HEADERS.get(0))) {
                assertThat(md.get("traceparent")).endsWith("-00");
                assertThat(exported).contains(md.get("traceparent").substring(3, 52));
            }
            // exemplars point at the kept spans: the worst requests
            List<Exemplar> exemplars = receiver.metrics().stream().map(Received::item)
                    .filter(m -> m.getName().equals(OtelNames.REQUEST_ERROR) || m.getName().equals(OtelNames.REQUEST_SUCCESS))
                    .flatMap(m -> m.getHistogram().getDataPointsList().stream()).flatMap(p -> p.getExemplarsList().stream()).toList();
            assertThat(exemplars).isNotEmpty().allSatisfy(e -> assertThat(byId.get(e.getSpanId()).getName())
                    .isIn("grpc Orders/Place", "grpc Orders/Slow"));
        }
    }

    @Test
    void aFailedHttpRequestKeepsItsTraceUnderTheIdsTheTargetSaw() throws Exception {
        TestUsers.closedPort = Ports.free();
        try (OtlpReceiver receiver = OtlpReceiver.start(); TestTarget target = new TestTarget()) {
            OtelRun run = OtelRun.local(target.url(), Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("http/protobuf"),
                    "lt_otel_exporter_otlp_protocol", "http/protobuf", "lt_otel_traces_sampler_ratio", 0.0,
                    "lt_otel_traces_keep_errors", true), TestUsers.ShopUser.class);
            run.runUntil(3, () -> run.env.stats().snapshot().total().numFailures() > 40, Duration.ofSeconds(30));
            run.close();
            List<Span> spans = receiver.spans().stream().map(Received::item).toList();
            assertThat(spans.stream().map(Span::getName).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("task ShopUser.checkout", "task ShopUser.down", "POST /fail", "GET /down");
            Set<String> sent = target.traceparents().stream().filter(tp -> tp.endsWith("-00")).map(tp -> tp.substring(3, 52))
                    .collect(Collectors.toSet());
            assertThat(target.traceparents()).allMatch(tp -> tp.endsWith("-00"));
            List<Span> fails = spans.stream().filter(sp -> sp.getName().equals("POST /fail")).toList();
            assertThat(fails).hasSizeGreaterThan(5).allSatisfy(sp -> {
                assertThat(sent).contains(hex(sp.getTraceId()) + "-" + hex(sp.getSpanId()));
                assertThat(OtlpReceiver.attributes(sp.getAttributesList())).containsEntry("error.type", "500")
                        .containsEntry("http.response.status_code", 500L).containsEntry("locust.trace.kept", "error");
            });
        }
    }

    @Test
    void semanticConventionHttpDurationBesideTheReferenceHistograms() throws Exception {
        TestUsers.closedPort = Ports.free();
        try (OtlpReceiver receiver = OtlpReceiver.start(); TestTarget target = new TestTarget()) {
            OtelRun run = OtelRun.local(target.url(), Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_otel_semconv", true), TestUsers.ShopUser.class);
            run.runUntil(3, () -> run.requests() > 100, Duration.ofSeconds(30));
            long http = run.env.stats().snapshot().sortedEntries().stream().filter(e -> !e.method().equals("grpc"))
                    .mapToLong(e -> e.numRequests()).sum();
            run.close();
            Metric duration = receiver.latest(OtelNames.HTTP_CLIENT_REQUEST_DURATION).item();
            assertThat(duration.getUnit()).isEqualTo("s");
            assertThat(duration.getHistogram().getDataPointsList().stream().mapToLong(HistogramDataPoint::getCount).sum()).isEqualTo(http);
            assertThat(duration.getHistogram().getDataPoints(0).getExplicitBoundsList()).isEqualTo(OtelNames.HTTP_DURATION_BUCKETS);
            Map<String, Map<String, Object>> byTemplate = duration.getHistogram().getDataPointsList().stream()
                    .map(p -> OtlpReceiver.attributes(p.getAttributesList())).collect(Collectors.toMap(a -> (String) a.get("url.template"), a -> a));
            String port = target.url().replaceAll(".*:", "");
            assertThat(byTemplate.get("/ok")).containsOnlyKeys("http.request.method", "http.response.status_code", "server.address",
                    "server.port", "url.template").containsEntry("http.request.method", "GET").containsEntry("http.response.status_code", 200L)
                    .containsEntry("server.address", "127.0.0.1").containsEntry("server.port", Long.parseLong(port));
            assertThat(byTemplate.get("/fail")).containsEntry("error.type", "500").containsEntry("http.request.method", "POST");
            assertThat(byTemplate.get("/down")).containsEntry("error.type", "java.net.ConnectException")
                    .doesNotContainKey("http.response.status_code");
            assertThat(byTemplate).doesNotContainKey("Inventory/Get");
        }
    }

    private static String hex(ByteString b) {
        return HEX.formatHex(b.toByteArray());
    }
}
