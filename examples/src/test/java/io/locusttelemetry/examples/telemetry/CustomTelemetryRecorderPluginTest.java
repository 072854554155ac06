package io.locusttelemetry.examples.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.LocalRunner;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginManager;
import io.locusttelemetry.testing.RecordingCommandLineParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomTelemetryRecorderPluginTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reports fake requests. */
    public static class ShopUser extends User {
        public ShopUser() {
            waitTime(constant(0.02));
        }

        @Task
        public void browse() {
            reportRequest("GET", "/products", 3, 512, null);
        }
    }

    private static Environment environment(Path output, Object customInterval) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("testplan", "shop");
        o.put("enable_telemetry_recorder", "json,custom");
        o.put("lt_json_output", output.toString());
        o.put("lt_stats_recorder_interval", 1.0);
        o.put("lt_system_usage_recorder_interval", 1.0);
        o.put("custom_interval", customInterval);
        return Environment.builder().userClasses(ShopUser.class).parsedOptions(new ParsedOptions(o)).build();
    }

    @Test
    void isFoundOnTheClasspathThroughItsAnnotation() throws IOException {
        TelemetryRecorderPluginManager manager = TelemetryRecorderPluginManager.discover(getClass().getClassLoader());
        assertThat(manager.ids()).contains("custom", "json");
        assertThat(manager.plugin("custom")).get().isInstanceOf(CustomTelemetryRecorderPlugin.class);

        List<URL> files = Collections.list(getClass().getClassLoader()
                .getResources("META-INF/services/io.locusttelemetry.telemetry.TelemetryRecorderPluginBase"));
        URL ours = files.stream().filter(u -> u.getPath().contains("/examples/target/classes/")).findFirst().orElseThrow();
        try (InputStream in = ours.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim()).isEqualTo(CustomTelemetryRecorderPlugin.class.getName());
        }
    }

    @Test
    void addsItsOptionUnderItsOwnGroupAndValidatesIt(@TempDir Path dir) {
        RecordingCommandLineParser parser = new RecordingCommandLineParser();
        Map<String, List<OptionSpec>> groups = parser.groups();
        Environment env = environment(dir.resolve("t.jsonl"), 0);
        TelemetryCoordinator coordinator = new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(getClass().getClassLoader()));
        env.events().initCommandLineParser.fire(parser);

        OptionSpec interval = groups.get("Custom activity recorder (example plugin)").get(0);
        assertThat(interval.names()).containsExactly("--custom-interval");
        assertThat(interval.dest()).isEqualTo("custom_interval");
        assertThat(interval.envVar()).isEqualTo("LOCUST_TELEMETRY_CUSTOM_INTERVAL");
        assertThat(interval.defaultValue()).isEqualTo("5");
        assertThatThrownBy(coordinator::configure).isInstanceOf(TelemetryConfigurationException.class)
                .hasMessage("--custom-interval must be a number of seconds above 0; got '0'");
    }

    @Test
    void loadsOneRecorderOnMasterWorkerAndLocal() {
        Environment env = Environment.builder().parsedOptions(new ParsedOptions(Map.of("custom_interval", 2))).build();
        CustomTelemetryRecorderPlugin plugin = new CustomTelemetryRecorderPlugin();
        List<TelemetryBaseRecorder> all = new ArrayList<>();
        all.addAll(plugin.loadMasterTelemetryRecorders(env));
        all.addAll(plugin.loadWorkerTelemetryRecorders(env));
        List<TelemetryBaseRecorder> local = plugin.loadLocalTelemetryRecorders(env);
        all.addAll(local);
        assertThat(all).hasSize(3).allSatisfy(r -> assertThat(r).isInstanceOf(ActivityRecorder.class));
        assertThat(local).hasSize(1);
        all.forEach(TelemetryBaseRecorder::close);
        assertThat(env.events().testStart.hasListeners()).isFalse();
    }

    @Test
    void itsRecordsAppearNextToTheJsonRecordersWhenLoaded(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("telemetry.jsonl");
        Environment env = environment(file, 0.5);
        TelemetryCoordinator coordinator = new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(getClass().getClassLoader()));
        LocalRunner runner = env.createLocalRunner();
        env.events().init.fire(env);
        assertThat(coordinator.recorders()).extracting(TelemetryBaseRecorder::pluginId).contains("json", "custom");

        runner.start(3, 30);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file)
                && Files.readString(file).lines().filter(l -> l.contains("custom.user.metric.activity")).count() >= 2);
        runner.quit();
        env.events().quitting.fire(env);
        long total = env.stats().snapshot().total().numRequests();
        String runId = coordinator.current().runId();
        assertThat(coordinator.current().extra()).containsEntry("custom_plugin_version", "1");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(MAPPER.readTree(line));
        }
        assertThat(lines).allSatisfy(n -> {
            assertThat(n.path("telemetry").path("run_id").asText()).isEqualTo(runId);
            assertThat(n.path("telemetry").path("testplan").asText()).isEqualTo("shop");
        });
        List<JsonNode> activity = lines.stream()
                .filter(n -> n.path("telemetry").path("telemetry_name").asText().equals(ActivityRecorder.ACTIVITY)).toList();
        assertThat(activity).hasSizeGreaterThanOrEqualTo(3).allSatisfy(n -> {
            assertThat(n.path("name").asText()).isEqualTo("locust_telemetry.custom");
            assertThat(n.path("telemetry").path("telemetry_type").asText()).isEqualTo("metrics");
            assertThat(n.path("telemetry").path("source").asText()).isEqualTo("LocalRunner");
            assertThat(n.path("telemetry").has("user_count")).isTrue();
            assertThat(n.path("telemetry").path("requests_per_second").isNumber()).isTrue();
        });
        assertThat(activity.get(1).path("telemetry").path("user_count").asInt()).isEqualTo(3);
        // every request is counted exactly once across the records, the last one written at test stop
        assertThat(activity.stream().mapToLong(n -> n.path("telemetry").path("requests_since_last").asLong()).sum()).isEqualTo(total);
        assertThat(lines.stream().filter(n -> n.path("telemetry").path("stats_type").asText().equals("final"))).hasSize(1);
    }
}
