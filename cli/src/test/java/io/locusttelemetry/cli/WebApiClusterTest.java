package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.testing.Nginx;
import io.locusttelemetry.testing.Ports;
import io.locusttelemetry.testing.PythonLocust;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locust's HTTP API on a jlocust master with a Java and a Python (2.12.1) worker, driven with curl
 * as a Locust user's script drives a Locust master: swarm, watch, stop, download the CSV, swarm again.
 */
class WebApiClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aScriptDrivesAJlocustMasterWithAJavaAndAPythonWorker(@TempDir Path dir) throws Exception {
        PythonLocust.requireInstalled();
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            int masterPort = Ports.free();
            int webPort = Ports.free();
            String web = "http://127.0.0.1:" + webPort;
            String csv = dir.resolve("run").toString();
            Path pyfile = PythonLocust.resource("peers/cluster_peer.py", dir);
            try (JlocustProcess master = JlocustProcess.start(dir, "master", Map.of("LOCUST_HEADLESS", "false"), "-f",
                    DistributedCliTest.LOCUSTFILE, "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port",
                    String.valueOf(masterPort), "--web-host", "127.0.0.1", "--web-port", String.valueOf(webPort), "-H", nginx.url(),
                    "--stop-timeout", "3", "--csv", csv);
                 JlocustProcess javaWorker = JlocustProcess.start(dir, "java-worker", Map.of(), "-f", DistributedCliTest.LOCUSTFILE,
                         "--worker", "--master-host", "127.0.0.1", "--master-port", String.valueOf(masterPort));
                 PythonLocust pyWorker = PythonLocust.start(PythonLocust.LAUNCHER, dir, "py-worker", "-f", pyfile.toString(), "--worker",
                         "--master-host", "127.0.0.1", "--master-port", String.valueOf(masterPort))) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> curlJson(web + "/stats/requests").path("workers").size() == 2);
                JsonNode ready = curlJson(web + "/stats/requests");
                assertThat(ready.path("state").asText()).isEqualTo("ready");
                assertThat(ready.path("worker_count").asInt()).isEqualTo(2);
                assertThat(kinds(ready)).anyMatch(k -> k.equals("jlocust")).anyMatch(k -> k.startsWith("Locust"));

                JsonNode swarm = JSON.readTree(curl("-X", "POST", "-d", "user_count=4", "-d", "spawn_rate=4", "-d", "host=" + nginx.url(),
                        web + "/swarm"));
                assertThat(swarm.path("success").asBoolean()).as(swarm.toString()).isTrue();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    JsonNode s = curlJson(web + "/stats/requests");
                    return s.path("user_count").asInt() == 4 && names(s).contains("/py") && names(s).stream().anyMatch(n -> n.startsWith("/java/"));
                });
                JsonNode running = curlJson(web + "/stats/requests");
                assertThat(running.path("state").asText()).isIn("running", "spawning");
                for (JsonNode w : running.path("workers")) {
                    assertThat(w.path("user_count").asInt()).as(w.toString()).isEqualTo(2);
                    assertThat(w.path("memory_usage").asLong()).isPositive();
                }
                Thread.sleep(2000);
                JsonNode stop = JSON.readTree(curl(web + "/stop"));
                assertThat(stop.path("success").asBoolean()).isTrue();
                await().atMost(Duration.ofSeconds(20)).until(() -> curlJson(web + "/stats/requests").path("user_count").asInt() == 0);
                // the workers' last reports arrive after their users stopped: then the master's totals are nginx's
                awaitTotalsMatch(web, nginx);
                long total = aggregated(curl(web + "/stats/requests/csv"));
                assertThat(total).isGreaterThan(20);
                // the files of --csv are written at the test's end, the same as the download
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .until(() -> aggregated(Files.readString(Path.of(csv + "_stats.csv"))) == total);
                assertThat(curl(web + "/stats/failures/csv")).startsWith("Method,Name,Error,Occurrences");
                assertThat(curl(web + "/exceptions/csv")).startsWith("Count,Message,Traceback,Nodes");
                assertThat(curl(web + "/stats/report")).contains("<html").contains("/py");
                assertThat(curlJson(web + "/exceptions").has("exceptions")).isTrue();
                assertThat(curlJson(web + "/tasks").path("per_class").has("ClusterUser")).isTrue();
                assertThat(curlJson(web + "/logs").path("master").toString()).contains("Sending spawn jobs of 4 users");

                // a second test on the same master and workers
                long before = nginx.loggedRequests();
                JSON.readTree(curl("-X", "POST", "-d", "user_count=2", "-d", "spawn_rate=10", "-d", "run_time=3s", web + "/swarm"));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    JsonNode s = curlJson(web + "/stats/requests");
                    return s.path("state").asText().equals("stopped") && s.path("stats").get(0).path("num_requests").asLong() > 0;
                });
                await().atMost(Duration.ofSeconds(20)).until(() -> nginx.loggedRequests() - before
                        == aggregated(curl(web + "/stats/requests/csv")));
                master.process().destroy(); // Ctrl-C / SIGTERM: the process ends with the last test's exit status
                assertThat(master.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(master.process().exitValue()).as(master.output()).isZero();
            }
        }
    }

    /** Waits until the master's Aggregated count is nginx's log, and stays so for a second. */
    static void awaitTotalsMatch(String web, Nginx nginx) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long logged = nginx.loggedRequests();
            if (aggregated(curl(web + "/stats/requests/csv")) != logged) {
                return false;
            }
            Thread.sleep(1000);
            return nginx.loggedRequests() == logged && aggregated(curl(web + "/stats/requests/csv")) == logged;
        });
    }

    private static List<String> kinds(JsonNode stats) {
        List<String> out = new ArrayList<>();
        stats.path("workers").forEach(w -> out.add(w.path("kind").asText()));
        return out;
    }

    private static List<String> names(JsonNode stats) {
        List<String> out = new ArrayList<>();
        stats.path("stats").forEach(s -> out.add(s.path("name").asText()));
        return out;
    }

    static long aggregated(String csv) {
        for (String line : csv.split("\r?\n")) {
            String[] cells = line.split(",");
            if (cells.length > 2 && cells[1].equals("Aggregated")) {
                return Long.parseLong(cells[2]);
            }
        }
        throw new AssertionError("no Aggregated row in " + csv);
    }

    static JsonNode curlJson(String url) throws IOException, InterruptedException {
        return JSON.readTree(curl(url));
    }

    /** curl -sS -f ARGS: the body, or an error with what curl said. */
    static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-f", "--max-time", "30"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(40, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("curl " + String.join(" ", args) + " failed: " + err);
        }
        return out;
    }
}
