package io.locusttelemetry.telemetry.json;

import static io.locusttelemetry.telemetry.json.JsonLines.assertPromtailFields;
import static io.locusttelemetry.telemetry.json.JsonLines.field;
import static io.locusttelemetry.telemetry.json.JsonLines.named;
import static io.locusttelemetry.telemetry.json.JsonLines.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.LocalRunner;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real local test run with the json recorder writing to a file, checked line by line against the spec. */
class JsonRecorderRunTest {
    static final List<String> STATS_FIELDS = List.of("method", "name", "num_requests", "num_failures", "min_response_time",
            "max_response_time", "current_rps", "current_fail_per_sec", "avg_response_time", "median_response_time", "total_rps",
            "total_fail_per_sec", "percentile_95", "percentile_99", "avg_content_length");

    static Environment environment(Path output, String recorders, Map<String, Object> more) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("testplan", "checkout");
        o.put("enable_telemetry_recorder", recorders);
        o.put("lt_stats_recorder_interval", 1.0);
        o.put("lt_system_usage_recorder_interval", 1.0);
        o.put("lt_json_output", output.toString());
        o.putAll(more);
        return Environment.builder().userClasses(TestUsers.ApiUser.class).host("http://127.0.0.1:8089")
                .parsedOptions(new ParsedOptions(o)).build();
    }

    @Test
    void localRunWritesEveryRecordOfTheSpec(@TempDir Path dir) throws Exception {
        // the recorder creates no folder: the output's folder must exist, as for every report
        Path file = Files.createDirectories(dir.resolve("logs")).resolve("telemetry.jsonl");
        Environment env = environment(file, "json", Map.of("num_users", 4, "spawn_rate", 8.0, "run_time", "30s"));
        TelemetryCoordinator coordinator = new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(getClass().getClassLoader()));
        LocalRunner runner = env.createLocalRunner();
        env.events().init.fire(env);

        runner.start(4, 8);
        await().atMost(Duration.ofSeconds(15)).until(() -> JsonLines.countLinesContaining(file, "\"stats_type\":\"current\"") >= 2
                && JsonLines.countLinesContaining(file, "locust.tl.system.metric.cpu") >= 2);
        Instant stopAt = Instant.now();
        runner.quit();
        env.events().quitting.fire(env);
        StatsSnapshot engine = env.stats().snapshot();
        String runId = coordinator.current().runId();

        List<JsonNode> lines = JsonLines.parse(file);
        assertThat(lines).allSatisfy(JsonLines::assertPromtailFields);
        assertThat(lines).allSatisfy(n -> {
            assertThat(n.path("name").asText()).isEqualTo("locust_telemetry.json");
            assertThat(n.path("telemetry").path("run_id").asText()).isEqualTo(runId);
            assertThat(n.path("telemetry").path("testplan").asText()).isEqualTo("checkout");
            assertThat(n.path("telemetry").path("source").asText()).isEqualTo("LocalRunner");
            assertThat(n.path("telemetry").path("source_id").asText()).isEqualTo("local");
            assertThat(n.path("message").asText()).isEqualTo("Recording telemetry " + n.path("telemetry").path("telemetry_type").asText()
                    + ": " + n.path("telemetry").path("telemetry_name").asText());
        });
        assertThat(lines.stream().map(n -> n.fieldNames().next()).collect(Collectors.toSet())).containsExactly("time");

        // events
        JsonNode start = lines.get(0);
        assertThat(start.path("telemetry").path("telemetry_name").asText()).isEqualTo("locust.tl.event.test.start");
        assertThat(start.path("telemetry").path("telemetry_type").asText()).isEqualTo("event");
        assertThat(start.path("telemetry").path("host").asText()).isEqualTo("http://127.0.0.1:8089");
        assertThat(start.path("telemetry").path("users").asInt()).isEqualTo(4);
        assertThat(start.path("telemetry").path("spawn_rate").asDouble()).isEqualTo(8.0);
        assertThat(start.path("telemetry").path("run_time").asText()).isEqualTo("30s");
        List<JsonNode> spawn = named(lines, "locust.tl.event.spawn.complete");
        assertThat(spawn).hasSize(1);
        assertThat(spawn.get(0).path("telemetry").path("user_count").asInt()).isEqualTo(4);
        JsonNode stop = lines.getLast();
        assertThat(stop.path("telemetry").path("telemetry_name").asText()).isEqualTo("locust.tl.event.test.stop");
        Instant stopTime = Instant.parse(stop.path("time").asText());
        Instant endTime = Instant.parse(stop.path("telemetry").path("end_time").asText());
        assertThat(stop.path("telemetry").path("end_time").asText()).matches(JsonLines.RFC3339_MILLIS_UTC);
        assertThat(Duration.between(stopTime, endTime)).isBetween(Duration.ofMillis(900), Duration.ofMillis(1001));
        assertThat(stopTime).isAfterOrEqualTo(stopAt.minusMillis(1));

        // system metrics, every interval
        List<JsonNode> cpu = named(lines, "locust.tl.system.metric.cpu");
        assertThat(cpu).hasSizeGreaterThanOrEqualTo(2).allSatisfy(n -> {
            assertThat(n.path("telemetry").path("telemetry_type").asText()).isEqualTo("metrics");
            assertThat(n.path("telemetry").path("unit").asText()).isEqualTo("percent");
            assertThat(n.path("telemetry").path("value").isNumber()).isTrue();
            assertThat(n.path("telemetry").path("value").asDouble()).isGreaterThanOrEqualTo(0);
        });
        List<JsonNode> mem = named(lines, "locust.tl.system.metric.mem");
        assertThat(mem).hasSameSizeAs(cpu).allSatisfy(n -> {
            assertThat(n.path("telemetry").path("unit").asText()).isEqualTo("MiB");
            assertThat(n.path("telemetry").path("value").asDouble()).isBetween(1.0, 1_000_000.0);
        });
        List<JsonNode> network = named(lines, "locust.tl.system.metric.network");
        assertThat(network).hasSize(2 * cpu.size()).allSatisfy(n -> {
            assertThat(n.path("telemetry").path("unit").asText()).isEqualTo("bytes");
            assertThat(n.path("telemetry").path("value").isIntegralNumber()).isTrue();
        });
        assertThat(network.stream().filter(field("direction", "sent"))).hasSize(cpu.size());
        assertThat(cpu).allSatisfy(n -> {
            assertThat(n.path("telemetry").path("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(n.path("telemetry").path("utilization").asDouble()).isBetween(0.0, 1.0);
        });
        // the JVM's own health over the same intervals
        assertThat(named(lines, "locust.tl.system.metric.gc")).hasSameSizeAs(cpu).allSatisfy(n -> {
            assertThat(n.path("telemetry").path("unit").asText()).isEqualTo("ms");
            assertThat(n.path("telemetry").path("value").isIntegralNumber()).isTrue();
            assertThat(n.path("telemetry").path("count").asLong()).isNotNegative();
        });
        assertThat(named(lines, "locust.tl.system.metric.heap")).hasSameSizeAs(cpu).allSatisfy(n -> {
            assertThat(n.path("telemetry").path("unit").asText()).isEqualTo("MiB");
            assertThat(n.path("telemetry").path("value").asDouble()).isPositive()
                    .isLessThanOrEqualTo(n.path("telemetry").path("committed").asDouble());
        });
        List<JsonNode> lag = named(lines, "locust.tl.system.metric.lag");
        assertThat(lag).hasSameSizeAs(cpu).allSatisfy(n -> {
            assertThat(n.path("telemetry").path("unit").asText()).isEqualTo("ms");
            assertThat(n.path("telemetry").path("value").asDouble()).isNotNegative()
                    .isGreaterThanOrEqualTo(n.path("telemetry").path("p50").asDouble())
                    .isLessThanOrEqualTo(n.path("telemetry").path("max").asDouble());
        });
        // the users wait between tasks: their wake-ups are counted
        assertThat(lag.stream().mapToLong(n -> n.path("telemetry").path("wakeups").asLong()).sum()).isPositive();
        assertThat(network.stream().filter(field("direction", "recv"))).hasSize(cpu.size());

        // request statistics
        List<JsonNode> current = stats(lines, "current");
        assertThat(current).hasSizeGreaterThanOrEqualTo(2).allSatisfy(n -> {
            assertThat(n.path("telemetry").path("name").asText()).isEqualTo("Aggregated");
            assertThat(n.path("telemetry").path("method").isNull()).isTrue();
            assertThat(n.path("telemetry").has("user_count")).isTrue();
            STATS_FIELDS.forEach(f -> assertThat(n.path("telemetry").has(f)).as(f).isTrue());
        });
        assertThat(current.getLast().path("telemetry").path("user_count").asInt()).isEqualTo(4);
        assertThat(current.getLast().path("telemetry").path("num_requests").asLong()).isPositive();

        List<JsonNode> fin = stats(lines, "final");
        assertThat(fin).hasSize(1);
        JsonNode f = fin.get(0).path("telemetry");
        STATS_FIELDS.forEach(k -> assertThat(f.has(k)).as(k).isTrue());
        assertThat(f.path("num_requests").asLong()).isEqualTo(engine.total().numRequests()).isPositive();
        assertThat(f.path("num_failures").asLong()).isEqualTo(engine.total().numFailures()).isPositive();
        assertThat(f.path("user_count").asInt()).isEqualTo(4);
        assertThat(f.path("avg_response_time").asDouble()).isEqualTo(engine.total().avgResponseTime());
        assertThat(f.path("percentile_95").asLong()).isEqualTo(engine.total().percentile(0.95));
        assertThat(f.path("total_rps").asDouble()).isPositive();

        List<JsonNode> endpoints = stats(lines, "endpoint");
        List<JsonNode> success = endpoints.stream().filter(field("status", "success")).toList();
        assertThat(success).extracting(n -> n.path("telemetry").path("method").asText() + " " + n.path("telemetry").path("name").asText())
                .containsExactly("POST /fail", "GET /ok");
        success.forEach(n -> STATS_FIELDS.forEach(k -> assertThat(n.path("telemetry").has(k)).as(k).isTrue()));
        assertThat(success.stream().mapToLong(n -> n.path("telemetry").path("num_requests").asLong()).sum())
                .isEqualTo(engine.total().numRequests());
        List<JsonNode> errors = endpoints.stream().filter(field("status", "error")).toList();
        assertThat(errors).hasSize(1);
        JsonNode error = errors.get(0).path("telemetry");
        ErrorSnapshot engineError = engine.errors().get(0);
        assertThat(error.path("method").asText()).isEqualTo("POST");
        assertThat(error.path("name").asText()).isEqualTo("/fail");
        assertThat(error.path("error").asText()).isEqualTo("HTTPError('500 Server Error: /fail')");
        assertThat(error.path("occurrences").asLong()).isEqualTo(engineError.occurrences()).isEqualTo(engine.total().numFailures());

        // order at the end: final, endpoints, then test.stop; nothing after quitting
        int finalIndex = lines.indexOf(fin.get(0));
        assertThat(lines.subList(finalIndex + 1, lines.size() - 1))
                .allSatisfy(n -> assertThat(n.path("telemetry").path("stats_type").asText()).isEqualTo("endpoint"));
        Set<String> names = lines.stream().map(n -> n.path("telemetry").path("telemetry_name").asText()).collect(Collectors.toSet());
        // cpu.warning only if this machine really was that busy
        assertThat(names).contains("locust.tl.event.test.start", "locust.tl.event.spawn.complete",
                "locust.tl.event.test.stop", "locust.tl.system.metric.cpu", "locust.tl.system.metric.mem",
                "locust.tl.system.metric.network", "locust.tl.request.metric.stats", "locust.tl.system.metric.gc",
                "locust.tl.system.metric.heap", "locust.tl.system.metric.lag");
        // generator.saturated only if this machine really was that busy
        assertThat(names).hasSizeLessThanOrEqualTo(12);
        assertThat(named(lines, "locust.tl.event.cpu.warning")).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void shutdownFlushWritesTheFinalRecordsOfARunningTestOnce(@TempDir Path dir) {
        Path file = dir.resolve("telemetry.jsonl");
        Environment env = environment(file, "json", Map.of("lt_stats_recorder_interval", 30.0, "lt_system_usage_recorder_interval", 30.0));
        TelemetryCoordinator coordinator = new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(getClass().getClassLoader()));
        LocalRunner runner = env.createLocalRunner();
        coordinator.initialize();
        env.events().init.fire(env);
        runner.start(2, 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> JsonLines.countLinesContaining(file, "spawn.complete") == 1
                && env.stats().snapshot().total().numFailures() > 0);

        // what the CLI's shutdown hook does on SIGTERM when the runner could not stop in time
        coordinator.flush();
        List<JsonNode> lines = JsonLines.parse(file);
        assertThat(stats(lines, "final")).hasSize(1);
        assertThat(stats(lines, "endpoint").stream().filter(field("status", "error"))).hasSize(1);
        assertThat(lines.getLast().path("telemetry").path("telemetry_name").asText()).isEqualTo("locust.tl.event.test.stop");

        runner.quit();
        env.events().quitting.fire(env);
        coordinator.flush();
        List<JsonNode> after = JsonLines.parse(file);
        assertThat(stats(after, "final")).hasSize(1);
        assertThat(named(after, "locust.tl.event.test.stop")).hasSize(1);
        assertThat(after).allSatisfy(JsonLines::assertPromtailFields);
    }
}
