package io.locusttelemetry.bench.gatling;

import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What both simulations share, read from Java system properties so bench/run can set them on
 * the command line:
 *
 * <ul>
 *   <li>{@code bench.baseUrl} (default {@code http://127.0.0.1:8080}); an {@code https://} one uses
 *       Gatling's default TLS (BoringSSL through Netty, any certificate trusted: a self-signed one too)
 *   <li>{@code bench.users} virtual users (default 50)
 *   <li>{@code bench.duration} seconds each user keeps looping (default 30)
 *   <li>{@code bench.rate} requests/s for the throttled simulation (default 10000)
 *   <li>{@code bench.close} {@code true}: each request asks for {@code Connection: close}, so
 *       each is a new connection (and TLS handshake); default false, keep-alive
 *   <li>{@code bench.http2} {@code true}: HTTP/2, which Gatling speaks only over TLS with ALPN
 *       (an {@code https://} base URL; it has no h2c); default false, HTTP/1.1
 * </ul>
 */
final class BenchSettings {
    final String baseUrl;
    final int users;
    final Duration duration;
    final int rate;
    final boolean close;
    final boolean http2;

    private BenchSettings(String baseUrl, int users, Duration duration, int rate, boolean close, boolean http2) {
        this.baseUrl = baseUrl;
        this.users = users;
        this.duration = duration;
        this.rate = rate;
        this.close = close;
        this.http2 = http2;
        if (http2 && !baseUrl.startsWith("https://")) {
            throw new IllegalArgumentException("bench.http2 needs an https:// bench.baseUrl (Gatling has no h2c), got " + baseUrl);
        }
    }

    static BenchSettings fromSystemProperties() {
        return new BenchSettings(
                System.getProperty("bench.baseUrl", "http://127.0.0.1:8080"),
                positive("bench.users", 50),
                Duration.ofSeconds(positive("bench.duration", 30)),
                positive("bench.rate", 10_000),
                Boolean.parseBoolean(System.getProperty("bench.close", "false")),
                Boolean.parseBoolean(System.getProperty("bench.http2", "false")));
    }

    private static int positive(String name, int fallback) {
        String raw = System.getProperty(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value = Integer.parseInt(raw.trim());
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    /**
     * HTTP/1.1 with Gatling's default of one connection pool per virtual user (kept alive
     * between requests). Switched off: the start-up warm-up request (it would leave the
     * machine), response caching and the automatic Referer header, none of which the other
     * generators have. With {@code bench.http2}: Gatling's HTTP/2 (enableHttp2, negotiated by
     * ALPN), the remote declared as speaking it (http2PriorKnowledge), so that Gatling need not
     * learn that from a first exchange; still one connection per user.
     */
    HttpProtocolBuilder protocol() {
        HttpProtocolBuilder protocol = http.baseUrl(baseUrl)
                .disableWarmUp()
                .disableCaching()
                .disableAutoReferer();
        if (http2) {
            URI uri = URI.create(baseUrl);
            int port = uri.getPort() < 0 ? 443 : uri.getPort();
            protocol = protocol.enableHttp2().http2PriorKnowledge(Map.of(uri.getHost() + ":" + port, true));
        }
        return protocol;
    }

    /**
     * Each user: GET /file.txt, expect 200, again at once, until the duration is over. With
     * {@code bench.close}, Gatling's documented way to a new connection per request: its
     * connections are per user (shareConnections off, the default) and closed on {@code Connection: close}.
     */
    ScenarioBuilder loop(String name) {
        HttpRequestActionBuilder get = http("file").get("/file.txt").check(status().is(200));
        if (close) {
            get = get.header("Connection", "close");
        }
        return scenario(name)
                .during(duration)
                .on(get);
    }

    @Override
    public String toString() {
        return "baseUrl=" + baseUrl + " users=" + users + " duration=" + duration.toSeconds()
                + "s rate=" + rate + "/s close=" + close + " http2=" + http2;
    }
}
