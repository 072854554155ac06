package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code --max-body-size} from the command line to the users' clients, and Errors of users in the exit code. */
class HttpLimitsCliTest {
    private HttpServer server;
    private String host;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/body", exchange -> {
            byte[] body = new byte[4096];
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        host = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aBodyOverMaxBodySizeIsAFailedRequest() {
        Jlocust.Result r = Jlocust.run("-f", "src/test/resources/locustfiles/BodyUser.java", "-u", "1", "-t", "2s",
                "-H", host, "--only-summary", "--max-body-size", "1KiB");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("response body over the 1 KiB limit (--max-body-size)");
        assertThat(r.out()).containsPattern("/body\\s+\\d+\\s+\\d+\\(100\\.00%\\)");
    }

    @Test
    void aBodyWithinMaxBodySizeFromTheEnvironmentIsRead() {
        Jlocust.Result r = Jlocust.run(java.util.Map.of("LOCUST_MAX_BODY_SIZE", "4096"), "-f",
                "src/test/resources/locustfiles/BodyUser.java", "-u", "1", "-t", "2s", "-H", host, "--only-summary");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("/body\\s+\\d+\\s+0\\(0\\.00%\\)");
    }

    @Test
    void aBadMaxBodySizeIsOneLine() {
        for (String bad : new String[] {"12XB", "0", "-5", "3GiB", "lots"}) {
            Jlocust.Result r = Jlocust.run("-f", "src/test/resources/locustfiles/BodyUser.java", "-H", host, "--max-body-size", bad);
            assertThat(r.exitCode()).as(bad).isEqualTo(2);
            assertThat(r.err().strip()).as(bad).startsWith("Invalid --max-body-size value '" + bad + "'");
            assertThat(r.err().strip().lines()).as(bad).hasSize(1);
        }
    }

    @Test
    void aUserThatRunsOutOfMemoryFailsTheRun() {
        Jlocust.Result r = Jlocust.run("-f", "src/test/resources/locustfiles/OutOfMemoryUser.java", "-u", "1", "-t", "2s",
                "--only-summary");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("OutOfMemoryError");
    }
}
