package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.testing.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Headless runs against a real nginx over HTTPS (TLS 1.3 only, a self-signed certificate): our
 * counts equal nginx's access log, each request of a user that asks for {@code Connection: close}
 * is a new connection, and a certificate that fails its check is a clear failed request.
 */
class HttpsRunTest {
    private static final String FILE = "src/test/resources/locustfiles/HttpsUsers.java";

    private static long aggregatedColumn(String prefix, int column) throws Exception {
        String total = Files.readAllLines(Path.of(prefix + "_stats.csv")).stream().filter(l -> l.startsWith(",Aggregated,"))
                .findFirst().orElseThrow();
        return Long.parseLong(total.split(",")[column]);
    }

    @Test
    void requestsOverTls13EqualNginxsAccessLog(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startTls(dir.resolve("nginx"))) {
            assertThat(nginx.url()).startsWith("https://");
            String prefix = dir.resolve("run").toString();
            // the first https run of this JVM loads BoringSSL's native library first (seconds on a busy machine)
            Jlocust.Result r = Jlocust.run("-f", FILE, "--headless", "-u", "5", "-r", "10", "-t", "6s", "-H", nginx.url(),
                    "--csv", prefix, "--only-summary", "Unverified");
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            long requests = aggregatedColumn(prefix, 2);
            assertThat(requests).isGreaterThan(50);
            assertThat(aggregatedColumn(prefix, 3)).as("failures").isZero();
            List<String> log = nginx.logLines();
            assertThat((long) log.size()).isEqualTo(requests);
            assertThat(log).allSatisfy(l -> assertThat(l).contains(" 200 ").contains(" TLSv1.3 "));
            assertThat(log).anyMatch(l -> l.startsWith("GET /page?id=1 "));
            // keep-alive: five users, five connections (one more for a user whose connection a request cut)
            assertThat(connections(log)).hasSizeLessThanOrEqualTo(10);
        }
    }

    @Test
    void connectionCloseGivesEachRequestItsOwnHandshake(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startTls(dir.resolve("nginx"))) {
            String prefix = dir.resolve("run").toString();
            Jlocust.Result r = Jlocust.run("-f", FILE, "--headless", "-u", "3", "-r", "10", "-t", "3s", "-H", nginx.url(),
                    "--csv", prefix, "--only-summary", "Reconnecting");
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            long requests = aggregatedColumn(prefix, 2);
            assertThat(requests).isGreaterThan(20);
            assertThat(aggregatedColumn(prefix, 3)).as("failures").isZero();
            List<String> log = nginx.logLines();
            assertThat((long) log.size()).isEqualTo(requests);
            assertThat(connections(log)).as("one connection per request").hasSize(log.size());
            assertThat(log).allSatisfy(l -> assertThat(l).contains("#1 TLSv1.3 "));
        }
    }

    @Test
    void aSelfSignedCertificateFailsEachRequestWhenChecked(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startTls(dir.resolve("nginx"))) {
            String prefix = dir.resolve("run").toString();
            Jlocust.Result r = Jlocust.run("-f", FILE, "--headless", "-u", "2", "-r", "10", "-t", "2s", "-H", nginx.url(),
                    "--csv", prefix, "--only-summary", "Verifying");
            assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
            long requests = aggregatedColumn(prefix, 2);
            assertThat(requests).isPositive();
            assertThat(aggregatedColumn(prefix, 3)).as("failures").isEqualTo(requests);
            assertThat(nginx.logLines()).as("no request got past the handshake").isEmpty();
            String failures = Files.readString(Path.of(prefix + "_failures.csv"));
            assertThat(failures).contains("GET,/,").contains("SSLHandshakeException('TLS handshake with 127.0.0.1:")
                    .contains("unable to find valid certification path to requested target");
            assertThat(r.out()).contains("SSLHandshakeException('TLS handshake with 127.0.0.1:");
        }
    }

    /** Both engines end to end, each in a JVM of its own (the engine is chosen once per JVM). */
    @ParameterizedTest
    @CsvSource({"boringssl, HTTPS through BoringSSL", "jdk, HTTPS through the JDK's TLS (-Djlocust.tls=jdk)"})
    void eachEngineCountsWhatNginxServedWithoutANativeAccessWarning(String engine, String logged, @TempDir Path dir)
            throws Exception {
        try (Nginx nginx = Nginx.startTls(dir.resolve("nginx"))) {
            String prefix = dir.resolve("run").toString();
            try (JlocustProcess p = JlocustProcess.start(dir, engine, Map.of(), List.of("-Djlocust.tls=" + engine), "-f", FILE,
                    "-u", "3", "-r", "10", "-t", "3s", "-H", nginx.url(), "--csv", prefix, "--only-summary", "Unverified")) {
                assertThat(p.waitFor(90)).as(p.output()).isZero();
                String output = p.output();
                assertThat(output).contains(logged).doesNotContain("WARNING: A restricted method")
                        .doesNotContain("enable-native-access");
                long requests = aggregatedColumn(prefix, 2);
                assertThat(requests).isGreaterThan(20);
                assertThat(aggregatedColumn(prefix, 3)).as("failures").isZero();
                assertThat((long) nginx.logLines().size()).isEqualTo(requests);
                assertThat(nginx.logLines()).allSatisfy(l -> assertThat(l).contains(" TLSv1.3 TLS_AES_128_GCM_SHA256 "));
            }
        }
    }

    /** The connection serial numbers of the log's lines. */
    private static Set<String> connections(List<String> log) {
        return log.stream().map(l -> l.replaceAll(".* conn=(\\d+)#.*", "$1")).collect(Collectors.toSet());
    }
}
