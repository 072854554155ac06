package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the real command: users that spin the CPU, more of them than there are cores, saturate
 * the generator on purpose: the run says so once when it starts and once when it clears, its lag
 * records show it, and the HTML report shades those seconds. An idle run never does.
 */
@Tag(Timing.TAG)
class GeneratorSaturationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSaturatedGeneratorSaysSoOnceAndTheReportShadesIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("t.jsonl");
        Path report = dir.resolve("report.html");
        int users = 4 * Runtime.getRuntime().availableProcessors();
        Jlocust.Result r = Jlocust.run("-f", "src/test/resources/locustfiles/BusyLoopUser.java", "-t", "6s", "-u", String.valueOf(users),
                "-r", "100", "--testplan", "sat", "--enable-telemetry-recorder", "json", "--lt-json-output", out.toString(),
                "--lt-system-usage-recorder-interval", "1", "--html", report.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();

        List<JsonNode> saturated = named(out, "locust.tl.event.generator.saturated");
        assertThat(saturated).extracting(n -> n.path("telemetry").path("state").asText()).containsExactly("saturated", "cleared");
        JsonNode start = saturated.get(0);
        assertThat(start.path("level").asText()).isEqualTo("WARNING");
        assertThat(start.path("telemetry").path("threshold_ms").asDouble()).isEqualTo(10.0);
        assertThat(start.path("telemetry").path("cause").asText()).isIn("lag", "lag,gc");
        assertThat(start.path("telemetry").path("cpu_utilization").asDouble()).isBetween(0.0, 1.0);
        assertThat(start.path("telemetry").path("lag_p99_ms").asDouble()).isGreaterThan(10.0);
        JsonNode cleared = saturated.get(1).path("telemetry");
        assertThat(cleared.path("saturated_seconds").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(cleared.path("lag_p99_ms").asDouble()).isGreaterThanOrEqualTo(start.path("telemetry").path("lag_p99_ms").asDouble());
        assertThat(named(out, "locust.tl.system.metric.lag").stream().mapToDouble(n -> n.path("telemetry").path("value").asDouble())
                .max().orElse(0)).isGreaterThan(10.0);

        String html = Files.readString(report);
        assertThat(html).contains("id=\"saturated\"").contains("\"sat\":1");
        int shaded = Integer.parseInt(html.replaceAll("(?s).*id=\"saturated\" data-seconds=\"(\\d+)\".*", "$1"));
        assertThat(shaded).isGreaterThanOrEqualTo(2);
        // in a real browser the charts render with the shaded seconds
        List<String> dump = HtmlReportBrowserTest.chromiumArgs(dir.resolve("profile"));
        dump.add("--dump-dom");
        dump.add(report.toUri().toString());
        Process p = new ProcessBuilder(dump).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(dom).contains("data-rendered=\"true\"");
        for (String chart : List.of("chart-rps", "chart-rt", "chart-users")) {
            assertThat(dom).containsPattern("id=\"" + chart + "\"[^>]*data-saturated=\"" + shaded + "\"");
        }
    }

    @Test
    void anIdleGeneratorNeverDoes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("t.jsonl");
        Path report = dir.resolve("report.html");
        Jlocust.Result r = Jlocust.run("-f", "src/test/resources/locustfiles/IdleUser.java", "-t", "5s", "-u", "10", "-r", "100",
                "--testplan", "idle", "--enable-telemetry-recorder", "json", "--lt-json-output", out.toString(),
                "--lt-system-usage-recorder-interval", "1", "--html", report.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(named(out, "locust.tl.event.generator.saturated")).isEmpty();
        List<JsonNode> lag = named(out, "locust.tl.system.metric.lag");
        assertThat(lag).hasSizeGreaterThanOrEqualTo(4);
        assertThat(lag.stream().mapToLong(n -> n.path("telemetry").path("wakeups").asLong()).sum()).isGreaterThan(300);
        assertThat(Files.readString(report)).doesNotContain("id=\"saturated\"").doesNotContain("\"sat\":");
    }

    private static List<JsonNode> named(Path file, String name) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(line);
            if (name.equals(n.path("telemetry").path("telemetry_name").asText())) {
                out.add(n);
            }
        }
        return out;
    }
}
