package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.testing.Nginx;
import io.locusttelemetry.testing.Ports;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the command chooses and runs its interactive mode: Locust's flags, their checks, HTTPS, the exit. */
class WebModeCliTest {
    private static final Map<String, String> INTERACTIVE = Map.of("LOCUST_HEADLESS", "false");

    @Test
    void autostartRunsTheTestWithTheUiUpAndAutoquitEndsTheProcess(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1").redirectErrorStream(true).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            int port = Ports.free();
            String csv = dir.resolve("auto").toString();
            CompletableFuture<Jlocust.Result> run = CompletableFuture.supplyAsync(() -> Jlocust.run(INTERACTIVE, "-f",
                    "../examples/locustfiles/QuickUser.java", "--autostart", "-u", "3", "-r", "10", "-t", "4s", "--autoquit", "1",
                    "-H", nginx.url(), "--web-host", "127.0.0.1", "--web-port", String.valueOf(port), "--tls-cert", cert.toString(),
                    "--tls-key", key.toString(), "--web-login", "ops:pa55", "--csv", csv, "--stop-timeout", "2"));
            String url = "https://127.0.0.1:" + port + "/stats/requests";
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> WebApiClusterTest.curl("-k", "-u", "ops:pa55", url).contains("\"state\":\"running\""));
            // without the login, nothing
            assertThat(curlStatus("-k", url)).isEqualTo("401");
            Jlocust.Result r = run.get(60, TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).as("the test's final table").contains("Aggregated");
            assertThat(WebApiClusterTest.aggregated(Files.readString(Path.of(csv + "_stats.csv")))).isPositive();
            assertThat(r.out() + r.err()).as("the password is never printed").doesNotContain("pa55");
        }
    }

    @Test
    void locustsRulesForTheFlags(@TempDir Path dir) throws Exception {
        Jlocust.Result autoquit = Jlocust.run(INTERACTIVE, "-f", "../examples/locustfiles/QuickUser.java", "--autoquit", "5");
        assertThat(autoquit.exitCode()).isEqualTo(1);
        assertThat(autoquit.err()).contains("--autoquit is only meaningful in combination with --autostart");

        Jlocust.Result base = Jlocust.run(INTERACTIVE, "-f", "../examples/locustfiles/QuickUser.java", "--web-base-path", "locust");
        assertThat(base.exitCode()).isEqualTo(2);
        assertThat(base.err()).contains("Invalid --web-base-path 'locust'").contains("must start with a slash");

        Jlocust.Result half = Jlocust.run(INTERACTIVE, "-f", "../examples/locustfiles/QuickUser.java", "--tls-cert", "pom.xml");
        assertThat(half.exitCode()).isEqualTo(2);
        assertThat(half.err()).contains("--tls-cert and --tls-key go together");

        Jlocust.Result login = Jlocust.run(INTERACTIVE, "-f", "../examples/locustfiles/QuickUser.java", "--web-login", "nopassword");
        assertThat(login.exitCode()).isEqualTo(2);
        assertThat(login.err()).contains("Invalid --web-login").doesNotContain("nopassword");

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Jlocust.Result busy = Jlocust.run(INTERACTIVE, "-f", "../examples/locustfiles/QuickUser.java", "--web-host", "127.0.0.1",
                    "--web-port", String.valueOf(taken.getLocalPort()));
            assertThat(busy.exitCode()).isEqualTo(2);
            assertThat(busy.err()).contains("the port is in use (choose another --web-port)");
        }

        // headless stays what it was: the test at once, no web UI on its port
        int webPort = Ports.free();
        Jlocust.Result headless = Jlocust.run(INTERACTIVE, "-f", "../examples/locustfiles/QuickUser.java", "--headless", "-u", "1",
                "-r", "1", "-t", "1s", "-H", "http://127.0.0.1:" + Ports.free(), "--web-port", String.valueOf(webPort));
        assertThat(headless.out()).contains("Aggregated");
        try (ServerSocket free = new ServerSocket(webPort, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(free.getLocalPort()).as("nothing listened on the web port").isEqualTo(webPort);
        }
    }

    @Test
    void theHelpListsTheWebOptions() {
        Jlocust.Result r = Jlocust.run("--help");
        assertThat(r.out()).contains("Web UI options").contains("--web-port").contains("LOCUST_WEB_PORT").contains("--autoquit")
                .contains("--lt-trace-url-template").contains("--tls-key");
    }

    private static String curlStatus(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out.trim();
    }
}
