package io.locusttelemetry.engine.http;

import static io.locusttelemetry.engine.http.TestUsers.ascii;
import static io.locusttelemetry.engine.http.TestUsers.bounded;
import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.RequestEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servers that break the TLS handshake, through the real client: each request fails with a
 * message that says what happened, within the connect timeout (a stalled server never holds its
 * user), and the same user then goes on with its next request.
 */
class HostileTlsPeerTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(1_500);

    private static TestHttpServer good;
    private TestUsers users;
    private List<RequestEvent> events;

    @BeforeAll
    static void startServer() throws IOException {
        good = new TestHttpServer();
    }

    @AfterAll
    static void stopServer() {
        good.close();
    }

    @BeforeEach
    void setUp() {
        users = new TestUsers();
        events = users.events;
    }

    @AfterEach
    void closeUsers() {
        users.close();
    }

    /** What a fake TLS server does with each connection, after reading the ClientHello's first bytes. */
    @FunctionalInterface
    private interface Peer {
        void serve(InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    /** A TCP server on 127.0.0.1 that hands every connection to {@code peer} on a thread of its own. */
    private static final class FakeTlsServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        FakeTlsServer(Peer peer) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        open.add(s);
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                InputStream in = s.getInputStream();
                                // the record header of the ClientHello: the client has begun its handshake
                                in.readNBytes(5);
                                peer.serve(in, s.getOutputStream());
                            } catch (IOException | InterruptedException e) {
                                // the client gave up: what the test wants
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        String url() {
            return "https://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private HttpSession client(String host) {
        return users.client(host).timeouts(CONNECT_TIMEOUT, Duration.ZERO).verifyTls(false);
    }

    private String errorOf(HttpResponse r) {
        assertThat(r.error()).as("the request failed").isNotNull();
        assertThat(r.status()).isZero();
        return events.get(events.size() - 1).failure().message();
    }

    private void goesOn(HttpSession client) {
        assertThat(client.get(good.baseUrl() + "/echo").status()).isEqualTo(200);
    }

    @Test
    void plainHttpInsteadOfAServerHelloFailsAtOnce() throws Exception {
        try (FakeTlsServer server = new FakeTlsServer((in, out) -> {
            out.write(ascii("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
            out.flush();
        })) {
            HttpSession client = client(server.url());
            HttpResponse r = bounded(() -> client.get("/"));

            assertThat(errorOf(r)).startsWith("SSLHandshakeException('TLS handshake with 127.0.0.1:")
                    .contains("failed: ");
            assertThat(r.elapsedMillis()).isLessThan(CONNECT_TIMEOUT.toMillis());
            goesOn(client);
        }
    }

    @Test
    void aServerThatSaysNothingFailsWithinTheConnectTimeout() throws Exception {
        try (FakeTlsServer server = new FakeTlsServer((in, out) -> Thread.sleep(60_000))) {
            HttpSession client = client(server.url());
            HttpResponse r = bounded(() -> client.get("/"));

            assertThat(errorOf(r)).matches("SocketTimeoutException\\('TLS handshake with 127\\.0\\.0\\.1:\\d+ got no answer"
                    + " within the connect timeout of 1500 ms'\\)");
            assertThat(r.elapsedMillis()).isBetween(CONNECT_TIMEOUT.toMillis() - 100.0, CONNECT_TIMEOUT.toMillis() + 3_000.0);
            goesOn(client);
        }
    }

    @Test
    void aServerThatStallsInTheMiddleOfItsServerHelloFailsWithinTheConnectTimeout() throws Exception {
        try (FakeTlsServer server = new FakeTlsServer((in, out) -> {
            // a handshake record of 512 bytes announced, 3 of its bytes sent, then silence
            out.write(new byte[] {0x16, 0x03, 0x03, 0x02, 0x00, 0x02, 0x00, 0x01});
            out.flush();
            Thread.sleep(60_000);
        })) {
            HttpSession client = client(server.url());
            HttpResponse r = bounded(() -> client.get("/"));

            assertThat(errorOf(r)).contains("got no answer within the connect timeout of 1500 ms");
            assertThat(r.elapsedMillis()).isLessThan(CONNECT_TIMEOUT.toMillis() + 3_000);
            goesOn(client);
        }
    }

    @Test
    void aServerThatHangsUpDuringTheHandshakeFailsAtOnce() throws Exception {
        try (FakeTlsServer server = new FakeTlsServer((in, out) -> { })) {
            HttpSession client = client(server.url());
            HttpResponse r = bounded(() -> client.get("/"));

            assertThat(errorOf(r)).startsWith("SSLHandshakeException('TLS handshake with 127.0.0.1:");
            assertThat(r.elapsedMillis()).isLessThan(CONNECT_TIMEOUT.toMillis());
            goesOn(client);
        }
    }

    /** Random bytes where the ServerHello belongs, some of them behind a valid handshake record header. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void garbageInsteadOfAServerHelloIsAClearFailureNeverAHang(int seed) throws Exception {
        Random random = new Random(seed);
        byte[] garbage = new byte[1 + random.nextInt(seed % 3 == 0 ? 20_000 : 300)];
        random.nextBytes(garbage);
        if (seed % 2 == 0 && garbage.length >= 5) {
            // a plausible header (handshake, TLS 1.2, a length within what was sent) over random content
            int length = garbage.length - 5;
            garbage[0] = 0x16;
            garbage[1] = 0x03;
            garbage[2] = 0x03;
            garbage[3] = (byte) (length >> 8);
            garbage[4] = (byte) length;
        }
        try (FakeTlsServer server = new FakeTlsServer((in, out) -> {
            out.write(garbage);
            out.flush();
            Thread.sleep(60_000);
        })) {
            HttpSession client = client(server.url());
            HttpResponse r = bounded(() -> client.get("/"));

            assertThat(errorOf(r)).as("seed %d, %d bytes", seed, garbage.length)
                    .matches("(SSLHandshakeException\\('TLS handshake with 127\\.0\\.0\\.1:\\d+ failed: .+"
                            + "|SocketTimeoutException\\('TLS handshake with 127\\.0\\.0\\.1:\\d+ got no answer.*)");
            assertThat(r.elapsedMillis()).isLessThan(CONNECT_TIMEOUT.toMillis() + 3_000);
            goesOn(client);
        }
    }
}
