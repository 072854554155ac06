package io.locusttelemetry.cli;

import static io.locusttelemetry.cli.StopTargets.MIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.testing.Ports;
import io.locusttelemetry.testing.PythonLocust;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jlocust worker under a Python Locust 2.12.1 master keeps the master's totals equal to what the
 * targets served: at the master's quit (end of its run time; it waits only 0.5 s for the final
 * report) and when its web UI lowers the user count and then stops the test.
 */
class PythonMasterStopPathsTest {
    /** The same user classes as {@code StopMix.java}: the master dispatches them by name. */
    private static final String LOCUSTFILE = """
            from locust import HttpUser, between, task


            class Mixed(HttpUser):
                wait_time = between(0, 0.05)

                @task
                def fast(self):
                    self.client.get("/")


            class Sleeper(HttpUser):
                fixed_count = 1

                @task
                def sleep(self):
                    pass
            """;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theMastersQuitAtTheEndOfItsRunTime(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 2; i++) {
            Path run = dir.resolve("run-" + i);
            try (StopTargets t = StopTargets.start(run)) {
                int port = Ports.free();
                String prefix = run.resolve("py").toString();
                try (PythonLocust master = PythonLocust.start(PythonLocust.LAUNCHER, run, "master", "-f", locustfile(run),
                        "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", String.valueOf(port), "--headless",
                        "--expect-workers", "1", "-u", "6", "-r", "50", "-t", "4s", "-H", t.nginx.url(), "--csv", prefix)) {
                    Jlocust.Result r = worker(port).get(90, TimeUnit.SECONDS);
                    assertThat(r.exitCode()).as(r.out() + r.err() + master.output()).isZero();
                    assertThat(master.waitFor(30)).as(master.output()).isIn(0, 1);
                    assertThat(t.assertCountedAllServed("2.12.1 master's quit, run " + i, prefix, master.output()))
                            .isPositive();
                }
            }
        }
    }

    @Test
    void theMastersWebUiLowersTheUserCountThenStops(@TempDir Path dir) throws Exception {
        try (StopTargets t = StopTargets.start(dir)) {
            int port = Ports.free();
            int webPort = Ports.free();
            String web = "http://127.0.0.1:" + webPort;
            try (PythonLocust master = PythonLocust.start(PythonLocust.LAUNCHER, dir, "master", "-f", locustfile(dir), "--master",
                    "--master-bind-host", "127.0.0.1", "--master-bind-port", String.valueOf(port), "--web-host", "127.0.0.1",
                    "--web-port", String.valueOf(webPort), "-H", t.nginx.url())) {
                CompletableFuture<Jlocust.Result> worker = worker(port);
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> stats(web).path("workers").size() == 1);
                swarm(web, 6);
                await().atMost(Duration.ofSeconds(60)).until(() -> t.nginx.loggedRequests() > 20 && t.slow.served() > 5);
                swarm(web, 3);
                await().atMost(Duration.ofSeconds(30)).until(() -> stats(web).path("user_count").asInt() == 3);
                Thread.sleep(500);
                get(web + "/stop");
                await().atMost(Duration.ofSeconds(30)).until(() -> "stopped".equals(stats(web).path("state").asText()));
                long served = t.served();
                JsonNode total = aggregated(stats(web));
                long counted = total.path("num_requests").asLong();
                System.out.printf("2.12.1 web UI: 6 users, 3, stop: counted %d (%d failures), served %d%n", counted,
                        total.path("num_failures").asLong(), served);
                assertThat(counted).isGreaterThan(10);
                assertThat(counted).as(master.output()).isEqualTo(served);
                master.close();
                assertThat(worker.get(60, TimeUnit.SECONDS).exitCode()).isZero();
            }
        }
    }

    private static String locustfile(Path dir) throws Exception {
        Path file = dir.resolve("stop_peer.py");
        Files.createDirectories(dir);
        Files.writeString(file, LOCUSTFILE);
        return file.toString();
    }

    /** A jlocust worker in this JVM, configured as a container would be: by environment variables. */
    private static CompletableFuture<Jlocust.Result> worker(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("LOCUST_MODE_WORKER", "true");
        env.put("LOCUST_MASTER_NODE_HOST", "127.0.0.1");
        env.put("LOCUST_MASTER_NODE_PORT", String.valueOf(port));
        return CompletableFuture.supplyAsync(() -> Jlocust.run(env, "-f", MIX));
    }

    private JsonNode stats(String web) throws Exception {
        return json.readTree(get(web + "/stats/requests"));
    }

    private static JsonNode aggregated(JsonNode stats) {
        for (JsonNode row : stats.path("stats")) {
            if ("Aggregated".equals(row.path("name").asText())) {
                return row;
            }
        }
        throw new AssertionError("no Aggregated row in " + stats);
    }

    private void swarm(String web, int users) throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(web + "/swarm"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user_count=" + users + "&spawn_rate=50")).build();
        HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
