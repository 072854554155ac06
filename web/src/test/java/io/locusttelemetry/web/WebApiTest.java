package io.locusttelemetry.web;

import static io.locusttelemetry.web.WebTestSupport.form;
import static io.locusttelemetry.web.WebTestSupport.get;
import static io.locusttelemetry.web.WebTestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.LocalRunner;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.testing.Nginx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locust's HTTP API against a local runner loading a real nginx: start, watch, edit, stop, reset, start again. */
class WebApiTest {
    @TempDir
    static Path dir;
    static Nginx nginx;

    @BeforeAll
    static void startNginx() throws Exception {
        nginx = Nginx.start(dir);
    }

    @AfterAll
    static void stopNginx() {
        nginx.close();
    }

    private record Ui(Environment env, LocalRunner runner, WebUi web) implements AutoCloseable {
        String url(String path) {
            return web.url() + path;
        }

        @Override
        public void close() {
            web.close();
            runner.quit();
        }
    }

    private static Ui ui(WebSettings settings) {
        Environment env = Environment.builder().userClasses(WebTestSupport.IndexUser.class, WebTestSupport.OtherUser.class)
                .host(nginx.url()).stopTimeout(5).build(); // users end their request at stop: every one is counted
        LocalRunner runner = env.createLocalRunner();
        runner.quitWhenShapeEnds(false);
        WebUi web = WebUi.builder(env).settings(settings).reports(WebTestSupport.reportsOf(env)).start();
        return new Ui(env, runner, web);
    }

    @Test
    void aScriptStartsWatchesEditsStopsAndStartsAgain() throws Exception {
        try (Ui ui = ui(WebSettings.loopback())) {
            var swarm = post(ui.url("swarm"), form(List.of(Map.entry("user_count", "4"), Map.entry("spawn_rate", "100"),
                    Map.entry("host", nginx.url()), Map.entry("user_classes", "IndexUser"))));
            assertThat(swarm.status()).isEqualTo(200);
            assertThat(swarm.json().path("success").asBoolean()).isTrue();
            assertThat(swarm.json().path("message").asText()).isEqualTo("Swarming started");
            assertThat(swarm.json().path("user_classes").toString()).isEqualTo("[\"IndexUser\"]");
            await().atMost(Duration.ofSeconds(20)).until(() -> stats(ui).path("user_count").asInt() == 4
                    && stats(ui).path("stats").get(0).path("num_requests").asLong() > 50);
            JsonNode s = stats(ui);
            assertThat(s.path("state").asText()).isEqualTo("running");
            JsonNode row = s.path("stats").get(0);
            assertThat(row.path("method").asText()).isEqualTo("GET");
            assertThat(row.path("name").asText()).isEqualTo("/");
            for (String field : List.of("num_requests", "num_failures", "min_response_time", "max_response_time", "current_rps",
                    "current_fail_per_sec", "avg_response_time", "median_response_time", "total_rps", "total_fail_per_sec",
                    "response_time_percentile_0.95", "response_time_percentile_0.99", "avg_content_length")) {
                assertThat(row.has(field)).as(field).isTrue();
            }
            JsonNode total = s.path("stats").get(s.path("stats").size() - 1);
            assertThat(total.path("name").asText()).isEqualTo("Aggregated");
            assertThat(total.path("method").isNull()).isTrue();
            for (String field : List.of("errors", "total_rps", "fail_ratio", "current_response_time_percentiles", "user_count", "state")) {
                assertThat(s.has(field)).as(field).isTrue();
            }
            assertThat(s.has("workers")).as("a local runner has no workers, as Locust's").isFalse();
            assertThat(get(ui.url("tasks")).json().path("per_class").path("IndexUser").path("ratio").asDouble()).isEqualTo(1.0);

            // edit: fewer users, the runner ramps down
            var edit = post(ui.url("swarm"), form(List.of(Map.entry("user_count", "2"), Map.entry("spawn_rate", "100"))));
            assertThat(edit.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> ui.runner().userCount() == 2);

            // another class while it runs is refused, the test unharmed
            var other = post(ui.url("swarm"), form(List.of(Map.entry("user_count", "2"), Map.entry("spawn_rate", "1"),
                    Map.entry("user_classes", "OtherUser"))));
            assertThat(other.status()).isEqualTo(409);
            assertThat(other.json().path("message").asText()).contains("stop it first");
            assertThat(ui.runner().userCount()).isEqualTo(2);

            assertThat(get(ui.url("stats/reset")).body()).isEqualTo("ok");
            assertThat(ui.env().stats().snapshot().total().numRequests()).isLessThan(1000);

            var stop = get(ui.url("stop"));
            assertThat(stop.json().path("message").asText()).isEqualTo("Test stopped");
            assertThat(ui.runner().state()).isEqualTo(RunnerState.STOPPED);
            assertThat(ui.runner().userCount()).isZero();
            long firstTest = settledLog();

            // a new test on the same runner, with the other class, stopped by its run time
            var again = post(ui.url("swarm"), form(List.of(Map.entry("user_count", "3"), Map.entry("spawn_rate", "50"),
                    Map.entry("run_time", "3s"), Map.entry("user_classes", "OtherUser"))));
            assertThat(again.json().path("run_time").asInt()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(15)).until(() -> ui.runner().state() == RunnerState.STOPPED);
            assertThat(ui.runner().userClassesCount()).containsEntry("IndexUser", 0);
            JsonNode after = stats(ui);
            assertThat(after.path("stats").get(0).path("name").asText()).isEqualTo("/other");
            assertThat(after.path("stats").size()).as("the second test's stats start afresh").isEqualTo(2);
            assertThat(settledLog() - firstTest).as("nginx logged what the second test counted")
                    .isEqualTo(ui.env().stats().snapshot().total().numRequests());
        }
    }

    /** nginx's count once it stopped changing (it logs a request when its answer is out). */
    static long settledLog() throws Exception {
        long before = -1;
        long now = nginx.loggedRequests();
        while (now != before) {
            Thread.sleep(300);
            before = now;
            now = nginx.loggedRequests();
        }
        return now;
    }

    private static JsonNode stats(Ui ui) throws Exception {
        return get(ui.url("stats/requests")).json();
    }

    @Test
    void stateChangesFromAnotherSiteAreRefused() throws Exception {
        try (Ui ui = ui(WebSettings.loopback())) {
            String start = form(List.of(Map.entry("user_count", "1"), Map.entry("spawn_rate", "10")));
            var cross = post(ui.url("swarm"), start, "Origin", "https://evil.example");
            assertThat(cross.status()).isEqualTo(403);
            assertThat(ui.runner().state()).isEqualTo(RunnerState.READY);
            String own = ui.web().url().replaceAll("/$", "");
            assertThat(post(ui.url("swarm"), start, "Origin", own, "Sec-Fetch-Site", "same-origin").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> ui.runner().userCount() == 1);
            // an <img src=".../stop"> on another site: no Origin on a GET, but the browser says where it came from
            assertThat(get(ui.url("stop"), "Sec-Fetch-Site", "cross-site").status()).isEqualTo(403);
            assertThat(get(ui.url("stats/reset"), "Sec-Fetch-Site", "same-site").status()).isEqualTo(403);
            assertThat(ui.runner().userCount()).isEqualTo(1);
            // reading is fine from anywhere that may log in, as in Locust
            assertThat(get(ui.url("stats/requests"), "Sec-Fetch-Site", "cross-site").status()).isEqualTo(200);
            var page = get(ui.url(""));
            assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("frame-ancestors 'none'");
            assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        }
    }

    @Test
    void aLoginGuardsEveryRouteAndABasePathHoldsThem() throws Exception {
        WebSettings s = new WebSettings("127.0.0.1", 0, "/locust", "admin:s3cret:with-colon", null, null, null, null);
        try (Ui ui = ui(s)) {
            assertThat(ui.web().url()).endsWith("/locust/");
            var denied = get(ui.url("stats/requests"));
            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
            String good = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:s3cret:with-colon".getBytes());
            String bad = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:s3cret".getBytes());
            assertThat(get(ui.url("stats/requests"), "Authorization", bad).status()).isEqualTo(401);
            assertThat(get(ui.url("stats/requests"), "Authorization", good).status()).isEqualTo(200);
            assertThat(get(ui.url("stop"), "Authorization", bad).status()).isEqualTo(401);
            var page = get(ui.url(""), "Authorization", good);
            assertThat(page.body()).contains("<base href=\"/locust/\">");
            assertThat(get(ui.url("assets/chart.umd.min.js"), "Authorization", good).body()).contains("Chart");
            assertThat(get(ui.web().url().replace("/locust/", "/stats/requests"), "Authorization", good).status()).isEqualTo(404);
        }
    }
}
