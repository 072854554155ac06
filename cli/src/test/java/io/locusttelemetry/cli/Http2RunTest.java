package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.testing.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/2 users end to end against a real nginx: over TLS with ALPN and over h2c, counted as nginx counts them. */
class Http2RunTest {
    private static final String FILE = "src/test/resources/locustfiles/Http2Users.java";

    private static String aggregated(String prefix) throws Exception {
        return Files.readAllLines(Path.of(prefix + "_stats.csv")).stream().filter(l -> l.startsWith(",Aggregated,"))
                .findFirst().orElseThrow();
    }

    private static long column(String row, int column) {
        return Long.parseLong(row.split(",")[column]);
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {true, false})
    void everyRequestGoesOverHttp2AndTheTotalsEqualNginxsLog(boolean tls, @TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startHttp2(dir.resolve("nginx"), tls)) {
            String prefix = dir.resolve("run").toString();
            Jlocust.Result r = Jlocust.run("-f", FILE, "--headless", "-u", "8", "-r", "20", "-t", "4s", "-H", nginx.url(),
                    "--csv", prefix, "--only-summary", "Annotated");
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            String total = aggregated(prefix);
            long requests = column(total, 2);
            assertThat(requests).isGreaterThan(100);
            assertThat(column(total, 3)).as("failures").isZero();
            // the run time's stop leaves no request counted that nginx did not serve, and none served uncounted
            // (nginx writes a request's line just after its response)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat((long) nginx.logLines().size()).isEqualTo(requests));
            List<String> log = nginx.logLines();
            assertThat(log).allSatisfy(l -> assertThat(l).contains("HTTP/2.0").doesNotContain("HTTP/1.1"));
            assertThat(log).anyMatch(l -> l.contains("GET /page?id=1 HTTP/2.0"));
            if (tls) {
                // each user keeps one connection: eight users, eight connections
                Set<String> connections = log.stream().map(l -> l.replaceAll(".* conn=(\\d+)#.*", "$1")).collect(Collectors.toSet());
                assertThat(connections).hasSizeBetween(1, 8);
                assertThat(log).allSatisfy(l -> assertThat(l).contains(" TLSv1.3 "));
            }
        }
    }

    /**
     * The run time's end and SIGTERM with HTTP/2 requests in flight: the ones that end within the
     * stop's grace are counted as they end, the slow one is cut and counted "interrupted by stop",
     * and the totals equal the requests nginx logged (a cut stream is logged too). A slow request
     * takes about 8 s, longer than the 3 s run and the 2 s grace together: whenever a user started
     * one, it is still in flight when the grace ends (at 4 s it could start early and finish in time).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run time", "SIGTERM"})
    void everyStopKeepsTheTotalsEqualToWhatNginxServed(String stop, @TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startHttp2(dir.resolve("nginx"), true)) {
            String prefix = dir.resolve("run").toString();
            String output;
            if (stop.equals("run time")) {
                Jlocust.Result r = Jlocust.run("-f", FILE, "--headless", "-u", "6", "-r", "50", "-t", "3s", "--stop-timeout", "0",
                        "-H", nginx.url(), "--csv", prefix, "--only-summary", "InFlight");
                assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
                output = r.out() + r.err();
            } else {
                try (JlocustProcess p = JlocustProcess.start(dir, "jlocust", java.util.Map.of(), List.of(), "-f", FILE,
                        "-u", "6", "-r", "50", "-t", "120s", "--stop-timeout", "0", "-H", nginx.url(), "--csv", prefix,
                        "--only-summary", "InFlight")) {
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                            .until(() -> p.output().contains("All users spawned") && nginx.loggedRequests("/h2/slowish") > 3);
                    // a slow request is in flight by now: each takes about 8 s
                    Thread.sleep(1_500);
                    StopPathsTest.signal(p, "TERM");
                    assertThat(p.waitFor(60)).as(p.output()).isZero();
                    output = p.output();
                }
            }
            String total = aggregated(prefix);
            long requests = column(total, 2);
            assertThat(requests).as(output).isGreaterThan(20);
            String failures = Files.readString(Path.of(prefix + "_failures.csv"));
            assertThat(failures).as("the slow request outlived the grace").contains("GET,/h2/slow,interrupted by stop");
            assertThat(column(total, 3)).as("only cut requests failed: " + failures)
                    .isEqualTo(failures.lines().filter(l -> l.contains("interrupted by stop"))
                            .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1))).sum());
            // nginx logs a request when it ends, a cut one a moment after the reset: wait for it
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat((long) nginx.logLines().size()).as(output).isEqualTo(requests));
        }
    }

    @Test
    void cookiesRedirectsAndStatusFailuresWorkAsOverHttp1(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startHttp2(dir.resolve("nginx"), true)) {
            String prefix = dir.resolve("run").toString();
            Jlocust.Result r = Jlocust.run("-f", FILE, "--headless", "-u", "2", "-r", "10", "-t", "3s", "-H", nginx.url(),
                    "--csv", prefix, "--only-summary", "Switched");
            assertThat(r.exitCode()).as("the 404s fail the run").isEqualTo(1);
            List<String> stats = Files.readAllLines(Path.of(prefix + "_stats.csv"));
            String echo = stats.stream().filter(l -> l.startsWith("GET,/h2/echo-cookie,")).findFirst().orElseThrow();
            String redirect = stats.stream().filter(l -> l.startsWith("GET,/h2/redirect,")).findFirst().orElseThrow();
            String missing = stats.stream().filter(l -> l.startsWith("GET,/h2/status/404,")).findFirst().orElseThrow();
            assertThat(column(echo, 2)).isPositive();
            assertThat(column(echo, 3)).as("cookie kept and sent back: " + echo).isZero();
            assertThat(column(redirect, 3)).as("redirect followed: " + redirect).isZero();
            assertThat(column(missing, 3)).isEqualTo(column(missing, 2)).isPositive();
            String failures = Files.readString(Path.of(prefix + "_failures.csv"));
            assertThat(failures).contains("HTTPError('404 Client Error: Not Found for url: " + nginx.url() + "/h2/status/404')");
            assertThat(nginx.logLines()).allSatisfy(l -> assertThat(l).contains("HTTP/2.0"));
        }
    }

    @Test
    void aServerWithoutHttp2FailsEachRequestWithOneClearReason(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startTls(dir.resolve("nginx"))) {
            String prefix = dir.resolve("run").toString();
            Jlocust.Result r = Jlocust.run("-f", FILE, "--headless", "-u", "1", "-r", "10", "-t", "2s", "-H", nginx.url(),
                    "--csv", prefix, "--only-summary", "Annotated");
            assertThat(r.exitCode()).isEqualTo(1);
            String total = aggregated(prefix);
            assertThat(column(total, 3)).isEqualTo(column(total, 2)).isPositive();
            assertThat(Files.readString(Path.of(prefix + "_failures.csv"))).contains("the server does not speak HTTP/2");
            assertThat(nginx.logLines()).isEmpty();
        }
    }
}
