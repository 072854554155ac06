package io.locusttelemetry.engine.http;

import static io.locusttelemetry.engine.http.TestUsers.ascii;
import static io.locusttelemetry.engine.http.TestUsers.bounded;
import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.RequestEvent;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The total timeout bounds a whole request (connect, send, the whole response), where the read
 * timeout bounds each read: a server that drips a byte now and then trips the first only.
 */
class TotalTimeoutTest {
    private TestUsers users;
    private List<RequestEvent> events;

    @BeforeEach
    void setUp() {
        users = new TestUsers();
        events = users.events;
    }

    @AfterEach
    void closeUsers() {
        users.close();
    }

    private HttpSession newClient(String host) {
        return users.client(host);
    }

    /**
     * Answers {@code /drip} with a 100-byte body one byte every 100 ms, {@code /slow} after 600 ms,
     * {@code /never} never, and anything else at once; a request with a body is read before answering.
     */
    private static RawHttpServer dripping() throws IOException {
        return new RawHttpServer((head, in, out) -> {
            RawHttpServer.skipBody(head, in);
            if (head.startsWith("GET /drip")) {
                out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"));
                for (int i = 0; i < 100; i++) {
                    out.flush();
                    Thread.sleep(100);
                    out.write('x');
                }
                return true;
            }
            if (head.startsWith("GET /never")) {
                Thread.sleep(60_000);
                return false;
            }
            if (head.startsWith("GET /slow")) {
                Thread.sleep(600);
            }
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
            return true;
        });
    }

    @Test
    void aDripThatNeverTripsTheReadTimeoutTripsTheTotalTimeout() throws Exception {
        try (RawHttpServer raw = dripping()) {
            HttpSession client = newClient(raw.baseUrl());
            long start = System.nanoTime();
            HttpResponse r = bounded(() -> client.get("/drip", o -> o.timeout(Duration.ofSeconds(1)).totalTimeout(Duration.ofMillis(1500))));
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(r.status()).isZero();
            assertThat(r.error()).isInstanceOf(SocketTimeoutException.class);
            assertThat(events.get(0).failure().message())
                    .isEqualTo("SocketTimeoutException('request took longer than its total timeout of 1500 ms (totalTimeout)')");
            assertThat(seconds).isBetween(1.45, 4.0);
            assertThat(r.elapsedMillis()).isBetween(1450.0, 4000.0);

            HttpResponse next = bounded(() -> client.get("/fast"));
            assertThat(next.status()).isEqualTo(200);
            assertThat(raw.connections()).as("the timed-out connection is not reused").isEqualTo(2);
        }
    }

    @Test
    void theClientsTotalTimeoutAppliesToEveryRequestAndARequestMayLiftIt() throws Exception {
        try (RawHttpServer raw = dripping()) {
            HttpSession client = newClient(raw.baseUrl()).totalTimeout(Duration.ofMillis(300));
            HttpResponse never = bounded(() -> client.get("/never"));
            HttpResponse slowButAllowed = bounded(() -> client.get("/slow", o -> o.totalTimeout(Duration.ZERO)));
            HttpResponse slow = bounded(() -> client.get("/slow"));

            assertThat(never.error()).hasMessageContaining("total timeout of 300 ms");
            assertThat(never.elapsedMillis()).isBetween(290.0, 3000.0);
            assertThat(slowButAllowed.status()).isEqualTo(200);
            assertThat(slow.error()).hasMessageContaining("total timeout of 300 ms");
        }
    }

    @Test
    void sendingABodyToAServerThatDoesNotReadItIsBoundedToo() throws Exception {
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> {
            Thread.sleep(60_000);
            return false;
        })) {
            HttpSession client = newClient(raw.baseUrl());
            byte[] body = new byte[64 << 20];
            HttpResponse r = bounded(() -> client.post("/upload", o -> o.body(body, "application/octet-stream")
                    .totalTimeout(Duration.ofMillis(800))));

            assertThat(r.error()).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("total timeout of 800 ms");
            assertThat(r.elapsedMillis()).isBetween(790.0, 5000.0);
        }
    }

    @Test
    void requestsThatEndInTimeKeepTheirConnectionAndAShorterDeadlineIsNotLate() throws Exception {
        try (RawHttpServer raw = dripping()) {
            HttpSession client = newClient(raw.baseUrl());
            for (int i = 0; i < 300; i++) {
                assertThat(client.get("/fast", o -> o.totalTimeout(Duration.ofSeconds(10))).status()).isEqualTo(200);
            }
            // the timer now waits for a deadline 10 s away; this one is much sooner
            HttpResponse slow = bounded(() -> client.get("/slow", o -> o.totalTimeout(Duration.ofMillis(200))));
            assertThat(slow.error()).hasMessageContaining("total timeout of 200 ms");
            assertThat(slow.elapsedMillis()).isBetween(190.0, 2000.0);
            for (int i = 0; i < 50; i++) {
                Duration shorter = Duration.ofMillis(100 + i);
                assertThat(client.get("/fast", o -> o.totalTimeout(shorter)).status()).isEqualTo(200);
            }
            assertThat(raw.connections()).as("one connection, then one after the timeout").isEqualTo(2);
            assertThat(events.stream().filter(e -> e.failure() != null)).hasSize(1);
        }
    }

    @Test
    void manyUsersWithTotalTimeoutsOnlyTimeOutWhenLate() throws Exception {
        try (RawHttpServer raw = dripping()) {
            List<Thread> threads = new java.util.ArrayList<>();
            for (int u = 0; u < 20; u++) {
                HttpSession client = newClient(raw.baseUrl()).totalTimeout(Duration.ofMillis(400));
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 100; i++) {
                        client.get(i % 50 == 49 ? "/slow" : "/fast");
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30));
            }
            assertThat(events).hasSize(2000);
            assertThat(events.stream().filter(e -> e.failure() != null).map(RequestEvent::name))
                    .hasSize(40).containsOnly("/slow");
        }
    }

    /**
     * Deadlines close to the response time, many users at once: a request fails only by its own
     * total timeout, never before it, and never because the timer closed the socket of another.
     */
    @Test
    void deadlinesRacingResponsesOnlyEverEndTheirOwnRequest() throws Exception {
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(5));
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
            return true;
        })) {
            List<Thread> threads = new java.util.ArrayList<>();
            List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int u = 0; u < 10; u++) {
                HttpSession client = newClient(raw.baseUrl());
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 300; i++) {
                        Duration timeout = Duration.ofMillis(i % 2 == 0 ? 2 : 50);
                        HttpResponse r = client.get("/race", o -> o.totalTimeout(timeout));
                        if (r.error() != null && !(r.error().getMessage().contains("total timeout of " + timeout.toMillis() + " ms")
                                && r.elapsedMillis() >= timeout.toMillis())) {
                            wrong.add(r.elapsedMillis() + " ms: " + r.error());
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(60));
            }
            assertThat(events).hasSize(3000);
            assertThat(wrong).isEmpty();
            assertThat(events.stream().filter(e -> e.failure() != null)).as("some 2 ms deadlines were missed").isNotEmpty();
        }
    }

    @Test
    void aNegativeTotalTimeoutIsRefused() {
        HttpSession client = newClient("http://127.0.0.1:1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.totalTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.maxBodySize(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
