package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -H http://user:password@host}: the requests carry the credentials as Basic auth (as
 * Locust's requests does), and no report, telemetry record or log line shows them.
 */
class CredentialsTest {
    private static final String FILE = "src/test/resources/locustfiles/Authenticated.java";
    private static final String SECRET = "s3cret-Pa55";

    @Test
    void requestsUseTheCredentialsAndNothingShowsThem(@TempDir Path dir) throws Exception {
        Set<String> authorizations = ConcurrentHashMap.newKeySet();
        Set<String> paths = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (exchange.getRequestURI().getPath().equals("/redirect")) {
                exchange.getResponseHeaders().add("Location", "/landing");
                exchange.sendResponseHeaders(302, -1);
            } else {
                byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try {
            String hostPort = "127.0.0.1:" + server.getAddress().getPort();
            Path telemetry = dir.resolve("telemetry.jsonl");
            Path html = dir.resolve("report.html");
            String csv = dir.resolve("run").toString();
            try (JlocustProcess p = JlocustProcess.start(dir, "creds", Map.of(), "-f", FILE, "-u", "2", "-r", "10", "-t", "3s",
                    "-H", "http://alice:" + SECRET + "@" + hostPort, "--loglevel", "DEBUG", "--html", html.toString(), "--csv", csv,
                    "--enable-telemetry-recorder", "json", "--testplan", "creds", "--lt-json-output", telemetry.toString())) {
                int code = p.waitFor(60);
                String output = p.output();
                assertThat(code).as(output).isZero();
                assertThat(paths).contains("/page", "/redirect", "/landing");
                String basic = "Basic " + Base64.getEncoder().encodeToString(("alice:" + SECRET).getBytes(StandardCharsets.UTF_8));
                assertThat(authorizations).as("every request, the redirected one too").containsExactly(basic);

                assertThat(output).doesNotContain(SECRET);
                assertThat(Files.readString(html)).doesNotContain(SECRET).contains("http://***@" + hostPort);
                String records = Files.readString(telemetry);
                assertThat(records).doesNotContain(SECRET).contains("\"host\":\"http://***@" + hostPort + "\"");
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        assertThat(Files.readString(f)).as(f.toString()).doesNotContain(SECRET);
                    }
                }
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBadHostWithCredentialsIsRefusedWithoutShowingThem() {
        for (String host : List.of("http://alice:" + SECRET + "@", "ftp://alice:" + SECRET + "@example.com")) {
            Jlocust.Result r = Jlocust.run("-f", FILE, "-H", host, "-t", "1s");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("Invalid --host").contains("***@").doesNotContain(SECRET);
        }
    }
}
