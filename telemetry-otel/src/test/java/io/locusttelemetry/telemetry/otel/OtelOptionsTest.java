package io.locusttelemetry.telemetry.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import io.locusttelemetry.telemetry.otel.OtlpReceiver.Received;
import io.locusttelemetry.telemetry.otel.internal.OtelNames;
import io.locusttelemetry.telemetry.otel.internal.OtelSettings;
import io.locusttelemetry.testing.Ports;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plugin's options, the standard OTEL_* settings they sit on, and the fixes of the spec. */
class OtelOptionsTest {
    private static final String SECRET = "s3cr3t-t0ken";

    @Test
    void optionsAppearWithTheReferenceNamesAndEnvironmentVariables() {
        List<OptionSpec> specs = new ArrayList<>();
        new OtelTelemetryRecorderPlugin().addCliArguments(new io.locusttelemetry.engine.CommandLineParser.OptionGroup() {
            @Override
            public io.locusttelemetry.engine.CommandLineParser.OptionGroup addArgument(OptionSpec option) {
                specs.add(option);
                return this;
            }
        });
        Map<String, String> envByFlag = specs.stream().collect(Collectors.toMap(s -> s.names().get(0), s -> String.valueOf(s.envVar())));
        assertThat(envByFlag).containsEntry("--lt-otel-exporter-otlp-endpoint", "LOCUST_OTEL_EXPORTER_OTLP_ENDPOINT")
                .containsEntry("--lt-otel-exporter-otlp-insecure", "LOCUST_OTEL_EXPORTER_OTLP_INSECURE")
                .containsEntry("--lt-otel-exporter-otlp-protocol", "OTEL_EXPORTER_OTLP_PROTOCOL")
                .containsEntry("--lt-otel-exporter-otlp-headers", "OTEL_EXPORTER_OTLP_HEADERS")
                .containsKeys("--lt-otel-traces", "--lt-otel-traces-sampler-ratio", "--lt-otel-max-endpoints", "--lt-otel-histogram",
                        "--lt-otel-prometheus-port");
        assertThat(new OtelTelemetryRecorderPlugin().id()).isEqualTo("otel");
    }

    @Test
    void wrongValuesGiveOneLineErrorsWithoutHeaderValues() {
        assertThatThrownBy(() -> settings(Map.of("lt_otel_exporter_otlp_protocol", "http/json")))
                .isInstanceOf(TelemetryConfigurationException.class).hasMessageContaining("grpc or http/protobuf");
        assertThatThrownBy(() -> settings(Map.of("lt_otel_exporter_otlp_endpoint", "ftp://collector:4317")))
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> settings(Map.of("lt_otel_traces_sampler_ratio", "1.5"))).hasMessageContaining("0 to 1");
        assertThatThrownBy(() -> settings(Map.of("lt_otel_max_endpoints", 0))).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> settings(Map.of("lt_otel_histogram", "linear"))).hasMessageContaining("explicit or exponential");
        assertThatThrownBy(() -> settings(Map.of("lt_otel_exporter_otlp_insecure", "maybe"))).hasMessageContaining("true or false");
        assertThatThrownBy(() -> settings(Map.of("lt_otel_exporter_otlp_headers", "x-api-key=ok," + SECRET)))
                .hasMessageContaining("entry 2 is not key=value").hasMessageNotContaining(SECRET);
        OtelSettings ok = settings(Map.of("lt_otel_exporter_otlp_headers", "x-api-key=" + SECRET,
                "lt_otel_exporter_otlp_endpoint", "https://user:" + SECRET + "@collector:4317"));
        assertThat(ok.toString()).doesNotContain(SECRET).contains("x-api-key");
        assertThat(ok.traces()).isTrue();
        assertThat(ok.maxEndpoints()).isEqualTo(100);
    }

    @Test
    void anSdkRefusalDoesNotShowHeaderValues() {
        // an invalid standard variable (here as its system property) reaches the SDK, whose message would quote it
        System.setProperty("otel.exporter.otlp.traces.headers", "broken-" + SECRET);
        try (LogCapture logs = new LogCapture()) {
            assertThatThrownBy(() -> OtelRun.local("http://127.0.0.1:1", Map.of(), TestUsers.BusyUser.class))
                    .isInstanceOf(TelemetryConfigurationException.class).hasMessageContaining("otel recorder")
                    .hasMessageNotContaining(SECRET);
            assertThat(logs.all()).doesNotContain(SECRET);
        } finally {
            System.clearProperty("otel.exporter.otlp.traces.headers");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http/protobuf"})
    void headersAreSentAndNeverLogged(String protocol) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); LogCapture logs = new LogCapture()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of(
                    "lt_otel_exporter_otlp_endpoint", receiver.endpoint(protocol),
                    "lt_otel_exporter_otlp_protocol", protocol,
                    "lt_otel_exporter_otlp_headers", "authorization=Bearer " + SECRET + ",x-tenant=perf",
                    "lt_otel_traces_sampler_ratio", 1.0), TestUsers.ManyNamesUser.class);
            run.runUntil(1, () -> run.requests() > 20, Duration.ofSeconds(20));
            run.close();
            assertThat(receiver.metricRequests()).isNotEmpty();
            assertThat(receiver.traceRequests()).isNotEmpty();
            assertThat(receiver.headers()).allSatisfy(h -> assertThat(h).containsEntry("authorization", "Bearer " + SECRET)
                    .containsEntry("x-tenant", "perf"));
            assertThat(logs.all()).contains("OpenTelemetry: OTLP to").doesNotContain(SECRET);
        }
    }

    @Test
    void endpointWithoutSchemeUsesPlainTextWhenInsecure() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of(
                    "lt_otel_exporter_otlp_endpoint", "127.0.0.1:" + receiver.grpcPort(),
                    "lt_otel_exporter_otlp_insecure", "true"), TestUsers.ManyNamesUser.class);
            run.runUntil(1, () -> run.requests() > 10, Duration.ofSeconds(20));
            run.close();
            assertThat(receiver.latest(OtelNames.REQUEST_SUCCESS)).isNotNull();
        }
    }

    @Test
    void standardOtelVariablesApplyWhereNoOptionIsGiven() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); TestTarget target = new TestTarget()) {
            // OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER as system properties
            System.setProperty("otel.exporter.otlp.endpoint", receiver.endpoint("http/protobuf"));
            System.setProperty("otel.exporter.otlp.protocol", "http/protobuf");
            System.setProperty("otel.service.name", "checkout-load");
            System.setProperty("otel.traces.sampler", "always_off");
            TestUsers.closedPort = Ports.free();
            OtelRun run;
            try {
                run = OtelRun.local(target.url(), Map.of(), TestUsers.ShopUser.class);
            } finally {
                System.clearProperty("otel.exporter.otlp.endpoint");
                System.clearProperty("otel.exporter.otlp.protocol");
                System.clearProperty("otel.service.name");
                System.clearProperty("otel.traces.sampler");
            }
            run.runUntil(2, () -> target.requests() > 20, Duration.ofSeconds(20));
            run.close();
            assertThat(receiver.metrics()).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.resource()).containsEntry("service.name", "checkout-load"));
            assertThat(receiver.spans()).isEmpty();
            // not sampled, still propagated: the system under test sees the trace, flagged as not sampled
            assertThat(target.traceparents()).isNotEmpty().allMatch(tp -> tp.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"));
        }
    }

    @Test
    void defaultSamplerTracesAboutOneTaskInAHundred() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc")),
                    TestUsers.ManyNamesUser.class);
            run.runUntil(4, () -> run.requests() >= 3000, Duration.ofSeconds(40));
            long requests = run.requests();
            run.close();
            long tasks = receiver.spans().stream().filter(s -> s.item().getKind() == Span.SpanKind.SPAN_KIND_INTERNAL).count();
            long requestSpans = receiver.spans().stream().filter(s -> s.item().getKind() == Span.SpanKind.SPAN_KIND_CLIENT).count();
            // binomial(n >= 3000, 0.01): mean >= 30; 3 and 120 are far outside its spread
            assertThat(tasks).isBetween(3L, 120L).isLessThan(requests / 20);
            assertThat(requestSpans).isEqualTo(tasks); // one request per task, traced with its task
        }
    }

    @Test
    void unsampledTasksStillPropagateTheirTrace() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); TestTarget target = new TestTarget()) {
            TestUsers.closedPort = Ports.free();
            OtelRun run = OtelRun.local(target.url(), Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_otel_traces_sampler_ratio", 0.0), TestUsers.ShopUser.class);
            run.runUntil(2, () -> target.requests() > 20, Duration.ofSeconds(20));
            run.close();
            assertThat(receiver.spans()).isEmpty();
            // one request per task here, each with its own trace
            assertThat(target.traceparents()).hasSizeGreaterThan(20).doesNotHaveDuplicates()
                    .allMatch(tp -> tp.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"));
        }
    }

    @Test
    void tracesOffInstallsNoTracerAndSendsNoTraceparent() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); TestTarget target = new TestTarget()) {
            TestUsers.closedPort = Ports.free();
            OtelRun run = OtelRun.local(target.url(), Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_otel_traces", false), TestUsers.ShopUser.class);
            assertThat(run.env.tracer()).isNull();
            run.runUntil(2, () -> target.requests() > 20, Duration.ofSeconds(20));
            run.close();
            assertThat(target.traceparents()).isEmpty();
            assertThat(receiver.traceRequests()).isEmpty();
            assertThat(receiver.latest(OtelNames.REQUEST_SUCCESS)).isNotNull();
        }
    }

    @Test
    void requestNamesBeyondTheLimitAreRecordedAsOther() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); LogCapture logs = new LogCapture()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_otel_max_endpoints", 3, "lt_otel_traces_sampler_ratio", 1.0), TestUsers.ManyNamesUser.class);
            run.runUntil(2, () -> run.requests() > 200, Duration.ofSeconds(20));
            run.close();
            Metric success = receiver.latest(OtelNames.REQUEST_SUCCESS).item();
            Map<Object, Long> byEndpoint = success.getHistogram().getDataPointsList().stream().collect(Collectors.toMap(
                    p -> OtlpReceiver.attributes(p.getAttributesList()).get("endpoint"), HistogramDataPoint::getCount));
            assertThat(byEndpoint).hasSize(4).containsKey("other");
            assertThat(byEndpoint.keySet().stream().filter(e -> !e.equals("other"))).allMatch(e -> ((String) e).startsWith("/item/"));
            assertThat(byEndpoint.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(run.requests());
            assertThat(run.recorder().requestMetrics().overflowNames()).isEqualTo(5);
            assertThat(logs.warnings()).hasSize(2);
            assertThat(logs.warnings().get(0)).contains("More than 3 distinct request names", "endpoint=\"other\"", "--lt-otel-max-endpoints");
            assertThat(logs.warnings().get(1)).contains("5 request names beyond --lt-otel-max-endpoints 3");
            // span names are capped the same way; the real name stays an attribute
            List<io.opentelemetry.proto.trace.v1.Span> requestSpans = receiver.spans().stream().map(OtlpReceiver.Received::item)
                    .filter(sp -> sp.getKind() == io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT).toList();
            Set<String> spanNames = requestSpans.stream().map(io.opentelemetry.proto.trace.v1.Span::getName).collect(Collectors.toSet());
            assertThat(spanNames).hasSize(4).contains("GET other").allMatch(n -> n.equals("GET other") || n.startsWith("GET /item/"));
            assertThat(requestSpans.stream().map(sp -> OtlpReceiver.attributes(sp.getAttributesList()).get("locust.request.name"))
                    .collect(Collectors.toSet())).hasSize(8);
        }
    }

    @Test
    void exponentialHistograms() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_otel_histogram", "exponential"), TestUsers.ManyNamesUser.class);
            run.runUntil(1, () -> run.requests() > 50, Duration.ofSeconds(20));
            run.close();
            Metric success = receiver.latest(OtelNames.REQUEST_SUCCESS).item();
            assertThat(success.hasExponentialHistogram()).isTrue();
            assertThat(success.getUnit()).isEqualTo("ms");
            assertThat(success.getExponentialHistogram().getDataPointsList().stream().mapToLong(p -> p.getCount()).sum())
                    .isEqualTo(run.requests());
        }
    }

    @Test
    void theFinalFlushDeliversWhatNoIntervalExportedYet() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                    "lt_stats_recorder_interval", 120.0), TestUsers.ManyNamesUser.class);
            run.runner.start(2, 100);
            await().atMost(Duration.ofSeconds(10)).until(() -> run.requests() > 50);
            assertThat(receiver.metricRequests()).isEmpty();

            // what the CLI's shutdown hook does on SIGTERM while the test still runs
            run.coordinator.flush();
            assertThat(receiver.metricRequests()).hasSize(1);
            Received<Metric> events = receiver.latest(OtelNames.TEST_EVENTS);
            assertThat(events.item().getSum().getDataPointsList()).extracting(p -> OtlpReceiver.attributes(p.getAttributesList()).get("event"))
                    .contains("locust.tl.event.test.stop");

            run.close();
            long total = 0;
            for (String name : List.of(OtelNames.REQUEST_SUCCESS)) {
                total += receiver.latest(name).item().getHistogram().getDataPointsList().stream().mapToLong(HistogramDataPoint::getCount).sum();
            }
            assertThat(total).isEqualTo(run.requests());
            assertThat(receiver.metricRequests()).hasSize(2);
        }
    }

    @Test
    void theFinalFlushWaitsForAnExportUnderWay() throws Exception {
        // exports every 5 ms: the reader is nearly always busy when the run ends, yet the final totals arrive
        for (int i = 0; i < 5; i++) {
            try (OtlpReceiver receiver = OtlpReceiver.start()) {
                OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                        "lt_stats_recorder_interval", 0.005, "lt_otel_traces", false), TestUsers.ManyNamesUser.class);
                run.runUntil(2, () -> run.requests() > 100, Duration.ofSeconds(20));
                run.close();
                long total = receiver.latest(OtelNames.REQUEST_SUCCESS).item().getHistogram().getDataPointsList().stream()
                        .mapToLong(HistogramDataPoint::getCount).sum();
                assertThat(total).isEqualTo(run.requests());
            }
        }
    }

    private static OtelSettings settings(Map<String, Object> options) {
        return OtelSettings.from(new ParsedOptions(new LinkedHashMap<>(options)));
    }
}
