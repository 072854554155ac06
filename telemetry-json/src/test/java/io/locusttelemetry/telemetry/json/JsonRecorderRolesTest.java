package io.locusttelemetry.telemetry.json;

import static io.locusttelemetry.telemetry.json.JsonLines.named;
import static io.locusttelemetry.telemetry.json.JsonLines.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginManager;
import io.locusttelemetry.telemetry.json.internal.JsonLineWriter;
import io.locusttelemetry.testing.RecordingCommandLineParser;
import io.locusttelemetry.testing.RoleRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the json recorder writes on a master and on a worker (spec §2 "emitted by" columns), and its option. */
class JsonRecorderRolesTest {

    private static Environment environment(Path file) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("testplan", "checkout");
        o.put("enable_telemetry_recorder", List.of("json"));
        o.put("lt_stats_recorder_interval", 0.2);
        o.put("lt_system_usage_recorder_interval", 0.2);
        o.put("lt_json_output", file.toString());
        return Environment.builder().parsedOptions(new ParsedOptions(o)).build();
    }

    private TelemetryCoordinator coordinator(Environment env) {
        return new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(getClass().getClassLoader()));
    }

    @Test
    void masterWritesEventsAndMergedRequestStatisticsAndSystemMetrics(@TempDir Path dir) {
        Path file = dir.resolve("master.jsonl");
        Environment env = environment(file);
        TelemetryCoordinator c = coordinator(env);
        RoleRunner master = new RoleRunner(env, Runner.Role.MASTER, "master");
        c.initialize();

        master.start(10, 5);
        // statistics as merged from workers' reports
        env.stats().logRequest("GET", "/a", 12_000, 10);
        env.stats().logRequest("GET", "/a", 30_000, 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> JsonLines.countLinesContaining(file, "\"stats_type\":\"current\"") >= 1
                && JsonLines.countLinesContaining(file, "system.metric.cpu") >= 1);
        env.events().cpuWarning.fire(new Events.CpuWarning(185.0, "CPU usage above 90%!", System.currentTimeMillis()));
        master.stop();
        env.events().quitting.fire(env);

        List<JsonNode> lines = JsonLines.parse(file);
        assertThat(lines).allSatisfy(JsonLines::assertPromtailFields);
        assertThat(lines).allSatisfy(n -> assertThat(n.path("telemetry").path("source").asText()).isEqualTo("MasterRunner"));
        assertThat(named(lines, "locust.tl.event.test.start")).hasSize(1);
        assertThat(named(lines, "locust.tl.event.spawn.complete")).hasSize(1);
        assertThat(named(lines, "locust.tl.event.test.stop")).hasSize(1);
        assertThat(named(lines, "locust.tl.system.metric.cpu")).isNotEmpty();
        assertThat(stats(lines, "final")).singleElement()
                .satisfies(n -> assertThat(n.path("telemetry").path("num_requests").asLong()).isEqualTo(2))
                .satisfies(n -> assertThat(n.path("telemetry").path("user_count").asInt()).isEqualTo(10));
        assertThat(stats(lines, "endpoint")).singleElement()
                .satisfies(n -> assertThat(n.path("telemetry").path("max_response_time").asDouble()).isEqualTo(30.0));
        assertThat(named(lines, "locust.tl.event.cpu.warning")).singleElement().satisfies(n -> {
            assertThat(n.path("level").asText()).isEqualTo("WARNING");
            assertThat(n.path("telemetry").path("value").asDouble()).isEqualTo(185.0);
            assertThat(n.path("telemetry").path("unit").asText()).isEqualTo("percent");
        });
    }

    @Test
    void workerWritesSystemMetricsAndCpuWarningsOnlyWithTheMastersRunId(@TempDir Path dir) {
        Path file = dir.resolve("worker.jsonl");
        Environment env = environment(file);
        TelemetryCoordinator c = coordinator(env);
        RoleRunner worker = new RoleRunner(env, Runner.Role.WORKER, "worker-1");
        c.initialize();

        worker.handlers().get("set_metadata").onMessage(env, new CustomMessage("set_metadata",
                Map.of("run_id", "c0ffee42", "testplan", "checkout"), null));
        worker.start(3, 3);
        env.stats().logRequest("GET", "/a", 12_000, 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> JsonLines.countLinesContaining(file, "system.metric.network") >= 4);
        env.events().cpuWarning.fire(new Events.CpuWarning(190.0, "CPU usage above 90%!", System.currentTimeMillis()));
        env.events().cpuWarning.fire(new Events.CpuWarning(195.0, "CPU usage above 90%!", System.currentTimeMillis()));
        worker.stop();
        env.events().quitting.fire(env);

        List<JsonNode> lines = JsonLines.parse(file);
        assertThat(lines).allSatisfy(JsonLines::assertPromtailFields);
        assertThat(lines).allSatisfy(n -> {
            assertThat(n.path("telemetry").path("source").asText()).isEqualTo("WorkerRunner");
            assertThat(n.path("telemetry").path("source_id").asText()).isEqualTo("worker-1");
            assertThat(n.path("telemetry").path("run_id").asText()).isEqualTo("c0ffee42");
            assertThat(n.path("telemetry").path("telemetry_name").asText()).isIn("locust.tl.system.metric.cpu",
                    "locust.tl.system.metric.mem", "locust.tl.system.metric.network", "locust.tl.event.cpu.warning",
                    "locust.tl.system.metric.gc", "locust.tl.system.metric.heap", "locust.tl.system.metric.lag",
                    "locust.tl.event.generator.saturated");
        });
        assertThat(named(lines, "locust.tl.event.cpu.warning")).hasSize(1);
        assertThat(worker.sent()).isEmpty();
    }

    @Test
    void outputOptionIsRegisteredUnderItsOwnGroup() {
        RecordingCommandLineParser parser = new RecordingCommandLineParser();
        Map<String, List<OptionSpec>> groups = parser.groups();
        Environment env = Environment.builder().build();
        coordinator(env);
        env.events().initCommandLineParser.fire(parser);

        assertThat(groups).containsKeys("Locust Telemetry", "JSON recorder");
        OptionSpec output = groups.get("JSON recorder").get(0);
        assertThat(output.names()).containsExactly("--lt-json-output");
        assertThat(output.dest()).isEqualTo("lt_json_output");
        assertThat(output.envVar()).isEqualTo("LOCUST_TELEMETRY_JSON_OUTPUT");
        assertThat(output.defaultValue()).isEqualTo("stdout");
    }

    @Test
    void anOutputThatCannotBeOpenedIsOneClearError(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Environment env = environment(notADirectory.resolve("telemetry.jsonl"));
        TelemetryCoordinator c = coordinator(env);
        new RoleRunner(env, Runner.Role.LOCAL, "local");
        assertThatThrownBy(c::initialize).isInstanceOf(TelemetryConfigurationException.class)
                .hasMessageStartingWith("Cannot write --lt-json-output ").hasMessageContaining("plain-file is not a directory (Not a directory)")
                .message().doesNotContain("\n");
        assertThat(c.recorders()).isEmpty();

        Environment env2 = environment(dir);
        assertThatThrownBy(coordinator(env2)::configure).isInstanceOf(TelemetryConfigurationException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void noFolderIsCreatedForTheOutput(@TempDir Path dir) {
        Path missing = dir.resolve("missing/deeper/telemetry.jsonl");
        assertThatThrownBy(coordinator(environment(missing))::configure).isInstanceOf(TelemetryConfigurationException.class)
                .hasMessageStartingWith("Cannot write --lt-json-output " + missing + ": the folder")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> JsonLineWriter.open(missing.toString())).isInstanceOf(TelemetryConfigurationException.class);
        assertThat(dir.resolve("missing")).doesNotExist();
    }
}
