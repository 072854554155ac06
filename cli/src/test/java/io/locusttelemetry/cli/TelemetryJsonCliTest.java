package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The json recorder through the jlocust command, checked as a log pipeline would read it. */
class TelemetryJsonCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> jsonLines(Path file) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void demoWithJsonTelemetry(@TempDir Path dir) throws Exception {
        // in this JVM stdout is the test runner's, so the lines go to a file (--lt-json-output FILE)
        Path out = dir.resolve("telemetry.jsonl");
        Jlocust.Result r = Jlocust.run("demo", "--testplan", "demo", "--enable-telemetry-recorder", "json", "-t", "6s",
                "-u", "10", "-r", "20", "--lt-stats-recorder-interval", "1", "--lt-system-usage-recorder-interval", "1",
                "--lt-json-output", out.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        List<String> raw = Files.readAllLines(out);
        assertThat(raw).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
        List<JsonNode> lines = jsonLines(out);
        Set<String> names = new TreeSet<>();
        Set<String> runIds = new TreeSet<>();
        Set<String> statsTypes = new TreeSet<>();
        for (JsonNode l : lines) {
            // what a Promtail/Loki pipeline extracts from every line
            JsonNode t = l.get("telemetry");
            assertThat(t.get("run_id").asText()).matches("[0-9a-f]{8}");
            assertThat(t.get("testplan").asText()).isEqualTo("demo");
            assertThat(t.get("telemetry_type").asText()).isIn("event", "metrics");
            assertThat(t.get("telemetry_name").asText()).startsWith("locust.tl.");
            assertThat(OffsetDateTime.parse(l.get("time").asText())).isNotNull();
            assertThat(l.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            names.add(t.get("telemetry_name").asText());
            runIds.add(t.get("run_id").asText());
            if (t.has("stats_type")) {
                statsTypes.add(t.get("stats_type").asText());
            }
        }
        assertThat(runIds).hasSize(1);
        assertThat(names).contains("locust.tl.event.test.start", "locust.tl.event.spawn.complete", "locust.tl.event.test.stop",
                "locust.tl.system.metric.cpu", "locust.tl.system.metric.mem", "locust.tl.system.metric.network",
                "locust.tl.request.metric.stats");
        assertThat(statsTypes).contains("current", "final", "endpoint");
        long currentLines = lines.stream().filter(l -> "current".equals(l.get("telemetry").path("stats_type").asText())).count();
        assertThat(currentLines).isGreaterThanOrEqualTo(3);
        JsonNode stop = lines.stream().filter(l -> l.get("telemetry").get("telemetry_name").asText().endsWith("test.stop")).findFirst().orElseThrow();
        assertThat(stop.get("telemetry").get("end_time").asText()).endsWith("Z");

        JsonNode fin = lines.stream().filter(l -> "final".equals(l.get("telemetry").path("stats_type").asText())).findFirst().orElseThrow();
        Matcher console = Pattern.compile("\\n\\s+Aggregated\\s+(\\d+)\\s+\\d+\\(").matcher(r.out());
        String consoleTotal = null;
        while (console.find()) {
            consoleTotal = console.group(1);
        }
        assertThat(fin.get("telemetry").get("num_requests").asLong()).isEqualTo(Long.parseLong(consoleTotal));
        assertThat(lines).anyMatch(l -> "error".equals(l.get("telemetry").path("status").asText())
                || "/flaky".equals(l.get("telemetry").path("name").asText()));
    }

    @Test
    void testplanIsRequiredOnceARecorderIsEnabled() {
        Jlocust.Result r = Jlocust.run("demo", "--enable-telemetry-recorder", "json", "-t", "1s");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("--testplan");
    }

    @Test
    void unknownRecorderListsTheKnownOnes() {
        Jlocust.Result r = Jlocust.run("demo", "--testplan", "x", "--enable-telemetry-recorder", "jsn", "-t", "1s");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("jsn").contains("json");
    }

    @Test
    void examplePluginIsFoundOnlyWhenOnTheClasspath(@TempDir Path dir) throws Exception {
        Path classes = Path.of("../examples/target/classes");
        assertThat(classes.resolve("META-INF/services/io.locusttelemetry.telemetry.TelemetryRecorderPluginBase"))
                .as("the examples module must be built first (./mvnw verify builds it before cli)").exists();

        assertThat(Jlocust.run("--help").out()).doesNotContain("--custom-interval");

        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader withPlugin = new URLClassLoader(new URL[] {classes.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(withPlugin);
            Jlocust.Result help = Jlocust.run("--help");
            assertThat(help.out()).contains("--custom-interval").contains("LOCUST_TELEMETRY_CUSTOM_INTERVAL");

            Thread.currentThread().setContextClassLoader(withPlugin);
            Jlocust.Result run = Jlocust.run("demo", "--testplan", "demo", "--enable-telemetry-recorder", "json,custom",
                    "--custom-interval", "1", "-t", "4s", "-u", "5", "-r", "10", "--lt-json-output", dir.resolve("t.jsonl").toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            List<JsonNode> lines = jsonLines(dir.resolve("t.jsonl"));
            assertThat(lines).anyMatch(l -> l.get("telemetry").get("telemetry_name").asText().equals("custom.user.metric.activity"));
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        assertThat(Files.exists(classes)).isTrue();
    }
}
