package io.locusttelemetry.telemetry.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.testing.Ports;
import io.locusttelemetry.telemetry.TelemetryRecord;
import io.locusttelemetry.telemetry.otel.OtlpReceiver.Received;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every telemetry record as an OTLP log record, decoded by the real receiver: with {@code json,otel}
 * one log record per JSON line with the same fields; with {@code otel} alone the same records still
 * arrive (the standard records do not need the json recorder).
 */
class OtlpLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http/protobuf"})
    void oneLogRecordPerJsonLineWithEqualFields(String protocol, @TempDir Path dir) throws Exception {
        TestUsers.closedPort = Ports.free();
        Path lines = dir.resolve("telemetry.jsonl");
        try (OtlpReceiver receiver = OtlpReceiver.start(); TestTarget target = new TestTarget()) {
            OtelRun run = OtelRun.local(target.url(), Map.of("enable_telemetry_recorder", List.of("json", "otel"),
                    "lt_json_output", lines.toString(), "lt_otel_exporter_otlp_endpoint", receiver.endpoint(protocol),
                    "lt_otel_exporter_otlp_protocol", protocol), TestUsers.ShopUser.class);
            run.runUntil(3, () -> run.requests() > 100 && receiver.logs().size() > 10, Duration.ofSeconds(30));
            run.close();

            List<String> fromJson = new ArrayList<>();
            for (String line : Files.readAllLines(lines)) {
                fromJson.add(canonical(JSON.readTree(line)));
            }
            List<Received<LogRecord>> logs = receiver.logs();
            List<String> fromOtlp = logs.stream().map(OtlpLogsTest::canonical).toList();
            assertThat(fromJson).hasSizeGreaterThan(30);
            assertThat(fromOtlp).containsExactlyInAnyOrderElementsOf(fromJson);

            // the records the pipelines select on, with the trace of a log backend
            assertThat(logs).allSatisfy(l -> {
                assertThat(l.scope()).isEqualTo("locust_telemetry.json");
                assertThat(l.resource()).containsEntry("service.name", "locust_telemetry").containsEntry("locust.source_id", "local");
                assertThat(l.item().getEventName()).isEqualTo(attribute(l.item(), "telemetry_name"));
                assertThat(l.item().getBody().getStringValue()).startsWith("Recording telemetry ");
            });
            assertThat(names(logs)).contains("locust.tl.event.test.start", "locust.tl.event.spawn.complete", "locust.tl.event.test.stop",
                    "locust.tl.system.metric.cpu", "locust.tl.system.metric.gc", "locust.tl.system.metric.heap",
                    "locust.tl.system.metric.lag", "locust.tl.request.metric.stats");
            assertThat(logs).filteredOn(l -> l.item().getSeverityText().equals("INFO"))
                    .allSatisfy(l -> assertThat(l.item().getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc"})
    void theRecordsArriveWithoutTheJsonRecorder(String protocol) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            OtelRun run = OtelRun.local("http://127.0.0.1:1", Map.of("lt_otel_exporter_otlp_endpoint", receiver.endpoint(protocol)),
                    TestUsers.ManyNamesUser.class);
            run.runUntil(2, () -> run.requests() > 100, Duration.ofSeconds(30));
            run.close();
            List<Received<LogRecord>> logs = receiver.logs();
            assertThat(names(logs)).contains("locust.tl.event.test.start", "locust.tl.event.test.stop", "locust.tl.system.metric.cpu",
                    "locust.tl.system.metric.lag", "locust.tl.request.metric.stats");
            LogRecord fin = logs.stream().map(Received::item).filter(l -> "final".equals(attribute(l, "stats_type"))).findFirst().orElseThrow();
            assertThat(attribute(fin, "num_requests")).isEqualTo(run.requests());
            assertThat(attribute(fin, "run_id")).isEqualTo(run.coordinator.current().runId());
            assertThat(run.recorder().pipeline().tracker().logsNotDelivered()).isZero();
        }
    }

    private static List<String> names(List<Received<LogRecord>> logs) {
        return logs.stream().map(l -> (String) attribute(l.item(), "telemetry_name")).distinct().collect(Collectors.toList());
    }

    private static Object attribute(LogRecord l, String key) {
        return OtlpReceiver.attributes(l.getAttributesList()).get(key);
    }

    /** A JSON line as one comparable text: time, level, name, message and the fields without nulls. */
    private static String canonical(JsonNode line) {
        Map<String, Object> fields = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = line.path("telemetry").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isNull()) {
                fields.put(e.getKey(), v.isIntegralNumber() ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble()
                        : v.isBoolean() ? (Object) v.asBoolean() : v.asText());
            }
        }
        return line.path("time").asText() + " " + line.path("level").asText() + " " + line.path("name").asText() + " "
                + line.path("message").asText() + " " + fields;
    }

    private static String canonical(Received<LogRecord> r) {
        LogRecord l = r.item();
        Map<String, Object> fields = new TreeMap<>();
        for (KeyValue kv : l.getAttributesList()) {
            AnyValue v = kv.getValue();
            fields.put(kv.getKey(), switch (v.getValueCase()) {
                case INT_VALUE -> v.getIntValue();
                case DOUBLE_VALUE -> v.getDoubleValue();
                case BOOL_VALUE -> v.getBoolValue();
                default -> v.getStringValue();
            });
        }
        Instant time = Instant.ofEpochSecond(0, l.getTimeUnixNano());
        return TelemetryRecord.TIME_FORMAT.format(time) + " " + l.getSeverityText() + " " + r.scope() + " " + l.getBody().getStringValue()
                + " " + fields;
    }
}
