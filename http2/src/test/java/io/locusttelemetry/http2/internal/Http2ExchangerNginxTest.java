package io.locusttelemetry.http2.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.locusttelemetry.engine.http.spi.ExchangeRequest;
import io.locusttelemetry.testing.Nginx;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One user's HTTP/2 requests against a real nginx, over TLS with ALPN and over h2c. */
class Http2ExchangerNginxTest {

    private static int port(Nginx nginx) {
        return URI.create(nginx.url()).getPort();
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {true, false})
    void requestsShareOneConnectionAndNginxLogsThemAsHttp2(boolean tls, @TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startHttp2(dir, tls); Http2Exchanger x = new Http2Exchanger()) {
            for (int i = 0; i < 20; i++) {
                Response r = new Response();
                long received = x.exchange(new Request(port(nginx), tls).path("/index.html?i=" + i), r);
                assertThat(received).isPositive();
                assertThat(r.status).isEqualTo(200);
                assertThat(r.reason).isEqualTo("OK");
                assertThat(r.text()).contains("hello from nginx");
                assertThat(r.headers).anyMatch(h -> h.startsWith("content-type: text/html"));
            }
            // nginx writes a request's line just after its response
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> nginx.logLines().size() >= 20);
            List<String> log = nginx.logLines();
            assertThat(log).hasSize(20).allSatisfy(l -> assertThat(l).contains("HTTP/2.0").contains(" 200 ").doesNotContain("HTTP/1.1"));
            if (tls) {
                // one connection for all twenty: the log numbers each connection's requests
                assertThat(log.get(19)).contains("#20 ");
            }
        }
    }

    @Test
    void bigBodyStatusAndHeadersComeThrough(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startHttp2(dir, true); Http2Exchanger x = new Http2Exchanger()) {
            Response big = new Response();
            x.exchange(new Request(port(nginx), true).path("/h2/big"), big);
            assertThat(big.length).isEqualTo(256 * 1024);
            Response missing = new Response();
            x.exchange(new Request(port(nginx), true).path("/h2/status/404"), missing);
            assertThat(missing.status).isEqualTo(404);
            assertThat(missing.reason).isEqualTo("Not Found");
            Response cookie = new Response();
            x.exchange(new Request(port(nginx), true).path("/h2/cookie"), cookie);
            assertThat(cookie.headers).contains("set-cookie: session=h2; Path=/");
        }
    }

    @Test
    void aBodyOverTheLimitFailsInTheHttp1ClientsWords(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startHttp2(dir, false); Http2Exchanger x = new Http2Exchanger()) {
            Request r = new Request(port(nginx), false).path("/h2/big");
            r.maxBodySize = 100_000;
            assertThatThrownBy(() -> x.exchange(r, new Response()))
                    .hasMessage("response body over the 100000 bytes limit (--max-body-size)");
            // the connection stays usable for the next request
            Response ok = new Response();
            x.exchange(new Request(port(nginx), false).path("/index.html"), ok);
            assertThat(ok.status).isEqualTo(200);
        }
    }

    @Test
    void aSelfSignedCertificateFailsWhenChecked(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startHttp2(dir, true); Http2Exchanger x = new Http2Exchanger()) {
            Request r = new Request(port(nginx), true);
            r.verifyTls = true;
            assertThatThrownBy(() -> x.exchange(r, new Response())).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageStartingWith("TLS handshake with 127.0.0.1:" + port(nginx) + " failed: ");
        }
    }

    @Test
    void aServerWithoutHttp2OverTlsIsRefusedNotSpokenToInHttp1(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.startTls(dir); Http2Exchanger x = new Http2Exchanger()) {
            ExchangeRequest r = new Request(port(nginx), true);
            assertThatThrownBy(() -> x.exchange(r, new Response())).hasMessageContaining("h2");
            assertThat(nginx.logLines()).isEmpty();
        }
    }
}
