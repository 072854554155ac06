package io.locusttelemetry.telemetry.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Debian's Prometheus scrapes the pull endpoint ({@code --lt-otel-prometheus-port}) every second;
 * PromQL over its HTTP API finds the run's request count under the reference's metric names, and
 * the reference dashboard's own queries, and every query of the shipped dashboard
 * ({@code deploy/grafana/dashboards/jlocust-otel.json}), return data.
 */
class PrometheusScrapeTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path DASHBOARD = Path.of("../deploy/grafana/dashboards/jlocust-otel.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void prometheusScrapesTheReferenceNamesAndTheRequestCount(@TempDir Path dir) throws Exception {
        TestUsers.closedPort = Ports.free();
        int exporterPort = Ports.free();
        int prometheusPort = Ports.free();
        Process prometheus = prometheus(dir, exporterPort, prometheusPort, "1s");
        String api = "http://127.0.0.1:" + prometheusPort;
        try (TestTarget target = new TestTarget()) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(api + "/-/ready").statusCode() == 200);
            // Prometheus hands new targets to its scrapers some seconds after start: wait for the first attempt
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> scalar(api, "up{job=\"jlocust\"}") != null);

            OtelRun run = OtelRun.local(target.url(), Map.of("lt_otel_prometheus_port", exporterPort,
                    "lt_otel_prometheus_host", "127.0.0.1"), TestUsers.ShopUser.class);
            try {
                long started = System.nanoTime();
                run.runUntil(3, () -> run.requests() >= 200 && System.nanoTime() - started > 3_000_000_000L, Duration.ofSeconds(30));
                StatsSnapshot engine = run.env.stats().snapshot();
                long errors = engine.total().numFailures();
                long successes = engine.total().numRequests() - errors;
                String runId = run.coordinator.current().runId();
                String selector = "{run_id=\"" + runId + "\",testplan=\"checkout\"}";

                // the users are stopped; the endpoint still serves the final totals
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> scalar(api, "sum(locust_tl_request_metric_success_milliseconds_count" + selector + ")"),
                                v -> v != null && v == successes);
                assertThat(scalar(api, "sum(locust_tl_request_metric_error_milliseconds_count" + selector + ")")).isEqualTo((double) errors);
                assertThat(scalar(api, "sum(locust_tl_request_metric_success_milliseconds_bucket{le=\"+Inf\"})")).isEqualTo((double) successes);

                List<String> names = new ArrayList<>();
                JSON.readTree(get(api + "/api/v1/label/__name__/values").body()).path("data").forEach(n -> names.add(n.asText()));
                assertThat(names).contains(
                        "locust_tl_request_metric_success_milliseconds_bucket", "locust_tl_request_metric_success_milliseconds_count",
                        "locust_tl_request_metric_success_milliseconds_sum", "locust_tl_request_metric_error_milliseconds_bucket",
                        "locust_tl_request_metric_error_milliseconds_count", "locust_tl_request_metric_error_milliseconds_sum",
                        "locust_tl_system_metric_mem_bytes", "locust_tl_system_metric_cpu_percent", "locust_tl_system_metric_network_bytes",
                        "locust_tl_user_metric_count_ratio", "locust_tl_event_test_events_total");
                assertThat(names.stream().filter(n -> n.startsWith("locust_tl_"))).noneMatch(n -> n.contains("ratio_total"));

                // the reference dashboard's queries
                assertThat(scalar(api, "sum(locust_tl_event_test_events_total{event=\"locust.tl.event.test.start\"})")).isEqualTo(1.0);
                assertThat(scalar(api, "count(locust_tl_event_test_events_total{event=\"locust.tl.event.test.start\"})")).isEqualTo(1.0);
                assertThat(scalar(api, "max(locust_tl_user_metric_count_ratio{})")).isNotNull();
                assertThat(scalar(api, "sum by (source_id) (locust_tl_system_metric_mem_bytes{})")).isGreaterThan(10_000_000.0);
                assertThat(scalar(api, "sum by (source_id) (locust_tl_system_metric_cpu_percent{})")).isNotNull();
                assertThat(scalar(api, "sum by (source_id) (locust_tl_system_metric_network_bytes{direction=\"sent\"})")).isNotNull();
                // rate() needs two scrapes of the run's histograms
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> scalar(api,
                        "histogram_quantile(0.95, sum by(le) (rate(locust_tl_request_metric_success_milliseconds_bucket" + selector
                                + "[1m])))"), v -> v != null && v > 0);
                assertThat(scalar(api, "sum(increase(locust_tl_request_metric_success_milliseconds_count" + selector + "[1m]))")).isNotNull();
                JsonNode runIds = JSON.readTree(get(api + "/api/v1/label/run_id/values?match[]=locust_tl_event_test_events_total").body());
                assertThat(runIds.path("data").toString()).contains(runId);
                JsonNode series = JSON.readTree(get(api + "/api/v1/series?match[]="
                        + URLEncoder.encode("locust_tl_request_metric_error_milliseconds_count", StandardCharsets.UTF_8)).body());
                assertThat(series.path("data").toString()).contains("\"endpoint\":\"/fail\"", "\"status_code\":\"500\"",
                        "\"error_type\":\"HTTPError\"", "\"method\":\"POST\"", "\"source_id\":\"local\"");

                // every query of the shipped OTel dashboard answers with data
                JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
                List<String> exprs = new ArrayList<>();
                dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
                assertThat(exprs).hasSizeGreaterThan(15);
                for (String expr : exprs) {
                    String q = expr.replace("$run_id", runId).replace("$testplan", "checkout").replace("$source_id", ".*")
                            .replace("$__rate_interval", "30s").replace("$__range", "5m").replace("$__interval", "15s");
                    JsonNode answer = JSON.readTree(get(api + "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).body());
                    assertThat(answer.path("status").asText()).as(q).isEqualTo("success");
                    assertThat(answer.path("data").path("result")).as(q).isNotEmpty();
                }
                dashboard.path("templating").path("list").forEach(v -> {
                    String query = v.path("query").path("query").asText();
                    if (query.startsWith("label_values(")) {
                        String[] parts = query.substring("label_values(".length(), query.length() - 1).split(",\\s*(?=[a-z_]+$)");
                        try {
                            String match = parts[0].replace("$testplan", "checkout");
                            JsonNode values = JSON.readTree(get(api + "/api/v1/label/" + parts[1] + "/values?match[]="
                                    + URLEncoder.encode(match, StandardCharsets.UTF_8)).body());
                            assertThat(values.path("data")).as(query).isNotEmpty();
                        } catch (IOException | InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                });
            } finally {
                run.close();
            }
        } finally {
            stop(prometheus);
        }
    }

    @Test
    void theEndpointLingersUntilPrometheusScrapedTheFinalValues(@TempDir Path dir) throws Exception {
        int exporterPort = Ports.free();
        int prometheusPort = Ports.free();
        // a scrape every 3 s: without the linger the requests of the last seconds would never reach Prometheus
        Process prometheus = prometheus(dir, exporterPort, prometheusPort, "3s");
        String api = "http://127.0.0.1:" + prometheusPort;
        try (TestTarget target = new TestTarget()) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> get(api + "/-/ready").statusCode() == 200);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> scalar(api, "up{job=\"jlocust\"}") != null);
            OtelRun run = OtelRun.local(target.url(), Map.of("lt_otel_prometheus_port", exporterPort,
                    "lt_otel_prometheus_host", "127.0.0.1", "lt_otel_prometheus_linger", 10.0), TestUsers.BusyUser.class);
            run.runUntil(2, () -> run.requests() > 5000, Duration.ofSeconds(30));
            String runId = run.coordinator.current().runId();
            long total = run.requests();
            long closing = System.nanoTime();
            run.close();
            Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);
            // Prometheus has the final totals once the run is over: the endpoint is gone now
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> scalar(api,
                    "sum(locust_tl_request_metric_success_milliseconds_count{run_id=\"" + runId + "\"})"), v -> v != null && v == total);
            assertThat(closeTook).isLessThan(Duration.ofSeconds(5));
            assertThat(scalar(api, "sum(locust_tl_request_metric_success_milliseconds_count{run_id=\"" + runId + "\"})"))
                    .isEqualTo((double) total);
        } finally {
            stop(prometheus);
        }
    }

    @Test
    void pullOnlyTracesForExemplarsAndTheTraceparentAndHonoursTheRatio() throws Exception {
        TestUsers.closedPort = Ports.free();
        for (double ratio : new double[] {1.0, 0.0}) {
            int exporterPort = Ports.free();
            try (TestTarget target = new TestTarget()) {
                OtelRun run = OtelRun.local(target.url(), Map.of("lt_otel_prometheus_port", exporterPort,
                        "lt_otel_prometheus_host", "127.0.0.1", "lt_otel_prometheus_linger", 0.0,
                        "lt_otel_traces_sampler_ratio", ratio), TestUsers.ShopUser.class);
                try {
                    run.runUntil(2, () -> target.requests() > 50, Duration.ofSeconds(30));
                    HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporterPort + "/metrics"))
                            .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").build(),
                            HttpResponse.BodyHandlers.ofString());
                    // the HTTP requests' exemplars: their trace went to the target in the traceparent
                    List<String> exemplars = scrape.body().lines().filter(l -> l.startsWith("locust_tl_request_metric_success_milliseconds_bucket")
                            && l.contains("endpoint=\"/ok\"") && l.contains("# {")).toList();
                    List<String> sent = target.traceparents();
                    assertThat(sent).isNotEmpty();
                    if (ratio == 1.0) {
                        assertThat(sent).allMatch(tp -> tp.endsWith("-01"));
                        assertThat(exemplars).isNotEmpty().allSatisfy(l -> {
                            String traceId = l.replaceAll(".*trace_id=\"([0-9a-f]{32})\".*", "$1");
                            assertThat(sent).anyMatch(tp -> tp.startsWith("00-" + traceId + "-"));
                        });
                    } else {
                        assertThat(sent).allMatch(tp -> tp.endsWith("-00"));
                        assertThat(exemplars).isEmpty();
                    }
                } finally {
                    run.close();
                }
            }
        }
    }

    private static Process prometheus(Path dir, int exporterPort, int prometheusPort, String interval) throws IOException {
        assertThat(Files.isExecutable(PROMETHEUS))
                .as("Debian's prometheus is needed for this test: install it with  apt-get install -y prometheus").isTrue();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: %s
                  evaluation_interval: %s
                scrape_configs:
                  - job_name: jlocust
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(interval, interval, exporterPort));
        return new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }

    private static void stop(Process prometheus) throws InterruptedException {
        prometheus.destroy();
        if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
            prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The value of a PromQL query that yields one sample, or null when it yields none. */
    private Double scalar(String api, String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode result = JSON.readTree(r.body()).path("data").path("result");
        if (!result.isArray() || result.isEmpty()) {
            return null;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
