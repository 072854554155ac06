package io.locusttelemetry.telemetry.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.telemetry.otel.OtlpReceiver.Received;
import io.locusttelemetry.telemetry.otel.internal.OtelNames;
import io.locusttelemetry.testing.Ports;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real local run exporting to a real OTLP receiver, over gRPC and over HTTP/protobuf, decoded
 * with the official protobuf classes: every instrument of the spec with its name, type, unit and
 * attributes; the request counts against the engine's; traces with their structure and the
 * traceparent the target received; exemplars pointing at exported spans.
 */
class OtlpExportTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll
    static void resourceAttributes() {
        // the system property form of OTEL_RESOURCE_ATTRIBUTES, read by the SDK's autoconfigure module
        System.setProperty("otel.resource.attributes", "deployment.environment.name=ci,team=perf");
    }

    @AfterAll
    static void clear() {
        System.clearProperty("otel.resource.attributes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http/protobuf"})
    void localRunExportsEveryInstrumentAndTraces(String protocol) throws Exception {
        TestUsers.closedPort = Ports.free();
        try (OtlpReceiver receiver = OtlpReceiver.start(); TestTarget target = new TestTarget(); LogCapture logs = new LogCapture()) {
            OtelRun run = OtelRun.local(target.url(), Map.of(
                    "lt_otel_exporter_otlp_endpoint", receiver.endpoint(protocol),
                    "lt_otel_exporter_otlp_protocol", protocol,
                    "lt_otel_traces_sampler_ratio", 1.0), TestUsers.ShopUser.class);
            run.runUntil(4, () -> run.requests() >= 300 && receiver.metricRequests().size() >= 2, Duration.ofSeconds(30));
            String runId = run.coordinator.current().runId();
            StatsSnapshot engine = run.env.stats().snapshot();
            run.close();

            assertThat(logs.warnings()).isEmpty();
            assertThat(logs.julWarnings()).isEmpty();

            // every export: the resource and the meter
            List<Received<Metric>> all = receiver.metrics();
            assertThat(all).isNotEmpty().allSatisfy(m -> {
                assertThat(m.scope()).isEqualTo("locust_telemetry");
                // unique per process and run; source_id stays the attribute the dashboards use
                assertThat(m.resource()).containsEntry("service.name", "locust_telemetry").containsEntry("locust.source_id", "local")
                        .containsEntry("deployment.environment.name", "ci").containsEntry("team", "perf")
                        .containsEntry("process.pid", ProcessHandle.current().pid()).containsEntry("service.version", "0.1.0-SNAPSHOT")
                        .containsKeys("telemetry.sdk.language", "host.name");
                assertThat((String) m.resource().get("service.instance.id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
            });
            assertThat(all.stream().map(m -> m.resource().get("service.instance.id")).distinct()).hasSize(1);
            var scope = receiver.metricRequests().get(0).getResourceMetrics(0).getScopeMetrics(0);
            assertThat(scope.getScope().getVersion()).isEqualTo("0.1.0-SNAPSHOT");
            assertThat(scope.getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.37.0");
            Set<String> names = all.stream().map(m -> m.item().getName()).collect(Collectors.toSet());
            assertThat(names).containsAll(List.of(OtelNames.TEST_EVENTS, OtelNames.USER_COUNT, OtelNames.CPU, OtelNames.MEM,
                    OtelNames.NETWORK, OtelNames.REQUEST_SUCCESS, OtelNames.REQUEST_ERROR)).containsAll(OtelNames.JVM_HEALTH);
            // jvm.gc.duration once a collection happened; nothing else
            assertThat(names).hasSizeBetween(12, 13);

            // test events counter
            Metric events = receiver.latest(OtelNames.TEST_EVENTS).item();
            assertThat(events.getUnit()).isEqualTo("1");
            assertThat(events.hasSum()).isTrue();
            assertThat(events.getSum().getIsMonotonic()).isTrue();
            assertThat(events.getSum().getAggregationTemporality()).isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
            Map<Object, Long> eventCounts = new HashMap<>();
            for (NumberDataPoint p : events.getSum().getDataPointsList()) {
                Map<String, Object> a = OtlpReceiver.attributes(p.getAttributesList());
                assertThat(a).containsOnlyKeys("event", "source", "source_id", "run_id", "testplan")
                        .containsEntry("source", "LocalRunner").containsEntry("source_id", "local")
                        .containsEntry("run_id", runId).containsEntry("testplan", "checkout");
                eventCounts.put(a.get("event"), p.getAsInt());
            }
            assertThat(eventCounts).containsEntry("locust.tl.event.test.start", 1L).containsEntry("locust.tl.event.spawn.complete", 1L)
                    .containsEntry("locust.tl.event.test.stop", 1L);

            // gauges
            Metric users = receiver.latest(OtelNames.USER_COUNT).item();
            assertThat(users.getUnit()).isEqualTo("1");
            assertThat(users.hasGauge()).isTrue();
            assertThat(all.stream().filter(m -> m.item().getName().equals(OtelNames.USER_COUNT))
                    .flatMap(m -> m.item().getGauge().getDataPointsList().stream()).mapToLong(NumberDataPoint::getAsInt).max())
                    .hasValue(4);
            gaugeAttributes(users, Set.of());
            Metric cpu = receiver.latest(OtelNames.CPU).item();
            assertThat(cpu.getUnit()).isEqualTo("%");
            assertThat(cpu.getGauge().getDataPoints(0).getAsDouble()).isGreaterThanOrEqualTo(0);
            gaugeAttributes(cpu, Set.of());
            Metric mem = receiver.latest(OtelNames.MEM).item();
            assertThat(mem.getUnit()).isEqualTo("By");
            // bytes, not MiB: a JVM's resident set is well above 10 MB
            assertThat(mem.getGauge().getDataPoints(0).getAsInt()).isGreaterThan(10_000_000L);
            gaugeAttributes(mem, Set.of());
            Metric network = receiver.latest(OtelNames.NETWORK).item();
            assertThat(network.getUnit()).isEqualTo("By");
            assertThat(network.getGauge().getDataPointsList()).extracting(p -> OtlpReceiver.attributes(p.getAttributesList()).get("direction"))
                    .containsExactlyInAnyOrder("sent", "recv");
            gaugeAttributes(network, Set.of("direction"));

            // request histograms: every request made, once
            Metric success = receiver.latest(OtelNames.REQUEST_SUCCESS).item();
            Metric error = receiver.latest(OtelNames.REQUEST_ERROR).item();
            for (Metric h : List.of(success, error)) {
                assertThat(h.getUnit()).isEqualTo("ms");
                assertThat(h.hasHistogram()).isTrue();
                assertThat(h.getHistogram().getAggregationTemporality()).isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
                assertThat(h.getHistogram().getDataPointsList()).allSatisfy(p -> {
                    assertThat(p.getExplicitBoundsList()).isEqualTo(OtelNames.MILLISECOND_BUCKETS);
                    Map<String, Object> a = OtlpReceiver.attributes(p.getAttributesList());
                    assertThat(a).containsEntry("source", "LocalRunner").containsEntry("source_id", "local")
                            .containsEntry("run_id", runId).containsEntry("testplan", "checkout").containsKeys("endpoint", "method");
                });
            }
            long successCount = success.getHistogram().getDataPointsList().stream().mapToLong(HistogramDataPoint::getCount).sum();
            long errorCount = error.getHistogram().getDataPointsList().stream().mapToLong(HistogramDataPoint::getCount).sum();
            assertThat(successCount + errorCount).isEqualTo(engine.total().numRequests()).isEqualTo(run.requests());
            assertThat(errorCount).isEqualTo(engine.total().numFailures());

            Map<String, Map<String, Object>> successSeries = series(success);
            assertThat(successSeries.keySet()).containsExactlyInAnyOrder("GET /ok", "grpc Inventory/Get");
            assertThat(successSeries.get("GET /ok")).containsOnlyKeys("source", "source_id", "run_id", "testplan", "endpoint", "status_code", "method")
                    .containsEntry("status_code", 200L).containsEntry("endpoint", "/ok").containsEntry("method", "GET");
            // no response, no status code (the reference writes 500)
            assertThat(successSeries.get("grpc Inventory/Get")).doesNotContainKey("status_code");
            Map<String, Map<String, Object>> errorSeries = series(error);
            assertThat(errorSeries.keySet()).containsExactlyInAnyOrder("POST /fail", "GET /down");
            assertThat(errorSeries.get("POST /fail")).containsEntry("status_code", 500L).containsEntry("error.type", "HTTPError");
            assertThat(errorSeries.get("GET /down")).doesNotContainKey("status_code").containsEntry("error.type", "java.net.ConnectException");
            // a request the target answered while its user was being stopped is not reported (as in Locust)
            assertThat(pointCount(success, "/ok") + pointCount(error, "/fail")).isBetween(target.requests() - 4, target.requests());

            // traces: a task span per task, a CLIENT child per request
            List<Span> spans = receiver.spans().stream().map(Received::item).toList();
            assertThat(receiver.spans()).allSatisfy(s -> assertThat(s.resource()).containsEntry("locust.source_id", "local")
                    .containsEntry("service.instance.id", all.get(0).resource().get("service.instance.id")));
            Map<ByteString, Span> byId = spans.stream().collect(Collectors.toMap(Span::getSpanId, s -> s));
            List<Span> requestSpans = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).toList();
            List<Span> taskSpans = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_INTERNAL).toList();
            assertThat(requestSpans).hasSize((int) engine.total().numRequests());
            assertThat(taskSpans).extracting(Span::getName).allMatch(n -> n.startsWith("task ShopUser."));
            assertThat(taskSpans).allSatisfy(t -> {
                assertThat(t.getParentSpanId().isEmpty()).isTrue();
                assertThat(attributes(t)).containsEntry("locust.user.class", "ShopUser").containsEntry("run_id", runId)
                        .containsEntry("testplan", "checkout");
            });
            assertThat(requestSpans).allSatisfy(r -> {
                Span parent = byId.get(r.getParentSpanId());
                assertThat(parent).as("parent of %s", r.getName()).isNotNull();
                assertThat(parent.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
                assertThat(parent.getTraceId()).isEqualTo(r.getTraceId());
                if (attributes(r).containsKey("url.full")) { // the custom request reports a made-up start time
                    assertThat(r.getStartTimeUnixNano()).isGreaterThanOrEqualTo(parent.getStartTimeUnixNano());
                    assertThat(r.getEndTimeUnixNano()).isLessThanOrEqualTo(parent.getEndTimeUnixNano());
                }
                assertThat(attributes(r)).containsEntry("locust.user.class", "ShopUser").containsEntry("run_id", runId)
                        .containsEntry("testplan", "checkout").containsKey("locust.request.name");
            });
            Span ok = requestSpans.stream().filter(s -> s.getName().equals("GET /ok")).findFirst().orElseThrow();
            assertThat(attributes(ok)).containsEntry("http.request.method", "GET").containsEntry("url.full", target.url() + "/ok")
                    .containsEntry("server.address", "127.0.0.1").containsEntry("server.port", (long) Integer.parseInt(target.url().replaceAll(".*:", "")))
                    .containsEntry("http.response.status_code", 200L).containsEntry("locust.request.name", "/ok")
                    .doesNotContainKey("error.type");
            assertThat(byId.get(ok.getParentSpanId()).getName()).isEqualTo("task ShopUser.browse");
            assertThat(ok.getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            // error.type by the HTTP conventions on spans: the status code, else the exception's class
            Span fail = requestSpans.stream().filter(s -> s.getName().equals("POST /fail")).findFirst().orElseThrow();
            assertThat(fail.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            assertThat(attributes(fail)).containsEntry("error.type", "500").containsEntry("http.response.status_code", 500L);
            assertThat(fail.getEventsList()).singleElement().satisfies(ev -> {
                assertThat(ev.getName()).isEqualTo("exception");
                assertThat(attributes(ev.getAttributesList())).containsEntry("exception.type", "HTTPError")
                        .hasEntrySatisfying("exception.message", m -> assertThat((String) m).contains("500 Server Error"));
            });
            assertThat(byId.get(fail.getParentSpanId()).getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            Span down = requestSpans.stream().filter(s -> s.getName().equals("GET /down")).findFirst().orElseThrow();
            assertThat(down.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            assertThat(attributes(down)).containsEntry("error.type", "java.net.ConnectException").doesNotContainKey("http.response.status_code");
            assertThat(down.getEventsList()).singleElement().satisfies(ev -> assertThat(attributes(ev.getAttributesList()))
                    .containsEntry("exception.type", "java.net.ConnectException").containsKey("exception.stacktrace"));
            assertThat(byId.get(down.getParentSpanId()).getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            assertThat(byId.get(ok.getParentSpanId()).getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
            Span custom = requestSpans.stream().filter(s -> s.getName().equals("grpc Inventory/Get")).findFirst().orElseThrow();
            assertThat(attributes(custom)).containsEntry("locust.request.type", "grpc").doesNotContainKey("http.request.method");
            assertThat(custom.getEndTimeUnixNano() - custom.getStartTimeUnixNano()).isEqualTo(3_000_000L);
            assertThat(byId.get(custom.getParentSpanId()).getName()).isEqualTo("task ShopUser.inventory");

            // the target received each request span's traceparent
            Set<String> expected = requestSpans.stream().filter(s -> attributes(s).containsKey("url.full"))
                    .filter(s -> !s.getName().equals("GET /down"))
                    .map(s -> "00-" + HEX.formatHex(s.getTraceId().toByteArray()) + "-" + HEX.formatHex(s.getSpanId().toByteArray()) + "-01")
                    .collect(Collectors.toSet());
            assertThat(target.traceparents()).doesNotHaveDuplicates().containsAll(expected)
                    .allMatch(tp -> tp.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
            assertThat(target.traceparents().size() - expected.size()).isBetween(0, 4); // requests of stopped users

            // exemplars point at exported request spans
            // (each export carries the exemplars sampled since the previous one)
            List<Exemplar> exemplars = all.stream().filter(m -> m.item().getName().equals(OtelNames.REQUEST_SUCCESS))
                    .flatMap(m -> m.item().getHistogram().getDataPointsList().stream()).flatMap(p -> p.getExemplarsList().stream()).toList();
            assertThat(exemplars).isNotEmpty().allSatisfy(e -> {
                Span s = byId.get(e.getSpanId());
                assertThat(s).isNotNull();
                assertThat(s.getTraceId()).isEqualTo(e.getTraceId());
                assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
            });
        }
    }

    private static void gaugeAttributes(Metric m, Set<String> extra) {
        assertThat(m.getGauge().getDataPointsList()).isNotEmpty().allSatisfy(p -> {
            Map<String, Object> a = OtlpReceiver.attributes(p.getAttributesList());
            assertThat(a.keySet()).isEqualTo(union(Set.of("source", "source_id"), extra));
            assertThat(a).containsEntry("source", "LocalRunner").containsEntry("source_id", "local");
        });
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toSet());
    }

    /** "METHOD endpoint" to the attributes of that histogram series (each appears once). */
    private static Map<String, Map<String, Object>> series(Metric h) {
        return h.getHistogram().getDataPointsList().stream().map(p -> OtlpReceiver.attributes(p.getAttributesList()))
                .collect(Collectors.toMap(a -> a.get("method") + " " + a.get("endpoint"), a -> a));
    }

    private static long pointCount(Metric h, String endpoint) {
        return h.getHistogram().getDataPointsList().stream()
                .filter(p -> endpoint.equals(OtlpReceiver.attributes(p.getAttributesList()).get("endpoint")))
                .mapToLong(HistogramDataPoint::getCount).sum();
    }

    static Map<String, Object> attributes(Span s) {
        return OtlpReceiver.attributes(s.getAttributesList());
    }

    static Map<String, Object> attributes(List<KeyValue> kv) {
        return OtlpReceiver.attributes(kv);
    }
}
