package io.locusttelemetry.http2.internal;

import static io.locusttelemetry.http2.internal.RawH2Server.CONTINUATION;
import static io.locusttelemetry.http2.internal.RawH2Server.DATA;
import static io.locusttelemetry.http2.internal.RawH2Server.END_HEADERS;
import static io.locusttelemetry.http2.internal.RawH2Server.END_STREAM;
import static io.locusttelemetry.http2.internal.RawH2Server.GOAWAY;
import static io.locusttelemetry.http2.internal.RawH2Server.HEADERS;
import static io.locusttelemetry.http2.internal.RawH2Server.RST_STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 servers that break the rules: every request ends, within its limits, with an IOException
 * that says why, never a hang or another kind of error, and the user's next request works.
 */
class HostileHttp2ServerTest {

    private static Request request(RawH2Server server) {
        Request r = new Request(server.port(), false);
        r.readTimeoutMillis = 1_000;
        r.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        return r;
    }

    private static IOException failure(RawH2Server.Script script) throws Exception {
        try (RawH2Server server = new RawH2Server(script); Http2Exchanger x = new Http2Exchanger()) {
            return assertTimeoutPreemptively(Duration.ofSeconds(8), () -> {
                try {
                    x.exchange(request(server), new Response());
                } catch (IOException e) {
                    return e;
                }
                throw new AssertionError("the request succeeded");
            });
        }
    }

    @Test
    void aWellBehavedRawServerIsUnderstood() throws Exception {
        try (RawH2Server server = new RawH2Server((c, stream) -> {
            c.frame(HEADERS, END_HEADERS, stream, RawH2Server.status200());
            c.frame(DATA, END_STREAM, stream, "hello".getBytes(StandardCharsets.US_ASCII));
        }); Http2Exchanger x = new Http2Exchanger()) {
            Response r = new Response();
            x.exchange(request(server), r);
            assertThat(r.status).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello");
        }
    }

    @Test
    void aResetStreamFailsTheRequestNamingTheError() throws Exception {
        IOException e = failure((c, stream) -> c.frame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, 2}));
        assertThat(e).hasMessageContaining("stream reset by the server").hasMessageContaining("internal_error");
    }

    @Test
    void aGoAwayWithoutAnswerFailsTheRequest() throws Exception {
        // last stream id 1: the server says it took the request, then leaves
        IOException e = failure((c, stream) -> {
            c.frame(GOAWAY, 0, 0, new byte[] {0, 0, 0, (byte) stream, 0, 0, 0, 2});
            c.socket.close();
        });
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void aRefusedStreamIsSentOnceMoreOnANewConnection() throws Exception {
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        try (RawH2Server server = new RawH2Server((c, stream) -> {
            if (served.getAndIncrement() == 0) {
                c.frame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, 7});
            } else {
                c.frame(HEADERS, END_HEADERS | END_STREAM, stream, RawH2Server.status200());
            }
        }); Http2Exchanger x = new Http2Exchanger()) {
            Response r = new Response();
            x.exchange(request(server), r);
            assertThat(r.status).isEqualTo(200);
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aCompressionErrorFailsTheRequest() throws Exception {
        // an index past the tables' end
        IOException e = failure((c, stream) -> c.frame(HEADERS, END_HEADERS | END_STREAM, stream, new byte[] {(byte) 0xFF, 0x7F}));
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void aStatusThatIsNoNumberFailsTheRequest() throws Exception {
        IOException e = failure((c, stream) -> c.frame(HEADERS, END_HEADERS | END_STREAM, stream, RawH2Server.status("abc")));
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void dataBeforeHeadersFailsTheRequest() throws Exception {
        IOException e = failure((c, stream) -> c.frame(DATA, END_STREAM, stream, "x".getBytes(StandardCharsets.US_ASCII)));
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void aServerThatGoesSilentAfterItsHeadersMeetsTheReadTimeout() throws Exception {
        IOException e = failure((c, stream) -> c.frame(HEADERS, END_HEADERS, stream, RawH2Server.status200()));
        assertThat(e).isInstanceOf(SocketTimeoutException.class).hasMessage("Read timed out");
    }

    @Test
    void aServerThatSendsAByteNowAndThenMeetsTheTotalTimeout() throws Exception {
        try (RawH2Server server = new RawH2Server((c, stream) -> {
            c.frame(HEADERS, END_HEADERS, stream, RawH2Server.status200());
            for (int i = 0; i < 100; i++) {
                c.frame(DATA, 0, stream, new byte[] {'x'});
                Thread.sleep(100);
            }
        }); Http2Exchanger x = new Http2Exchanger()) {
            Request r = request(server);
            r.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
            long start = System.nanoTime();
            assertThatThrownBy(() -> x.exchange(r, new Response())).isInstanceOf(SocketTimeoutException.class);
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
        }
    }

    @Test
    void anAnnouncedOrSentBodyOverTheLimitFailsWithoutBufferingIt() throws Exception {
        try (RawH2Server server = new RawH2Server((c, stream) -> {
            c.frame(HEADERS, END_HEADERS, stream, RawH2Server.status200());
            byte[] chunk = new byte[16_000];
            for (int i = 0; i < 100; i++) {
                c.frame(DATA, 0, stream, chunk);
            }
        }); Http2Exchanger x = new Http2Exchanger()) {
            Request r = request(server);
            r.maxBodySize = 50_000;
            assertThatThrownBy(() -> x.exchange(r, new Response()))
                    .hasMessage("response body over the 50000 bytes limit (--max-body-size)");
        }
        IOException announced = failure((c, stream) -> c.frame(HEADERS, END_HEADERS, stream, RawH2Server.concat(
                RawH2Server.status200(), RawH2Server.literal("content-length".getBytes(StandardCharsets.US_ASCII),
                        "99999999999".getBytes(StandardCharsets.US_ASCII)))));
        assertThat(announced).hasMessage("response body over the 64 MiB limit (--max-body-size)");
    }

    @Test
    void aHeaderBlockOverTheHeadLimitFailsTheRequest() throws Exception {
        IOException e = failure((c, stream) -> {
            byte[] value = new byte[16_000];
            java.util.Arrays.fill(value, (byte) 'a');
            byte[] field = RawH2Server.literal("x-big".getBytes(StandardCharsets.US_ASCII), value);
            c.frame(HEADERS, 0, stream, RawH2Server.concat(RawH2Server.status200(), field));
            for (int i = 0; i < 80; i++) {
                c.frame(CONTINUATION, i == 79 ? END_HEADERS : 0, stream, field);
            }
        });
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void garbageInsteadOfAServerPrefaceFailsTheConnect() throws Exception {
        IOException e = failure((c, stream) -> c.raw("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void anInterruptedUserGetsAnInterruptedIOExceptionAndKeepsItsInterrupt() throws Exception {
        try (RawH2Server server = new RawH2Server((c, stream) -> Thread.sleep(5_000)); Http2Exchanger x = new Http2Exchanger()) {
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread user = Thread.ofVirtual().start(() -> {
                try {
                    Request r = new Request(server.port(), false);
                    x.exchange(r, new Response());
                    outcome.complete("succeeded");
                } catch (Throwable t) {
                    outcome.complete(java.util.List.of(t, Thread.currentThread().isInterrupted()));
                }
            });
            Thread.sleep(300);
            user.interrupt();
            Object o = outcome.get(3, TimeUnit.SECONDS);
            assertThat(o).isInstanceOf(java.util.List.class);
            java.util.List<?> l = (java.util.List<?>) o;
            assertThat(l.get(0)).isInstanceOf(InterruptedIOException.class);
            assertThat(l.get(1)).isEqualTo(true);
        }
    }

    /** Random frames after the handshake: each request ends with a response or an IOException, within its limits. */
    @Test
    void randomFramesNeverHangOrThrowAnythingButIOException() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 40; i++) {
            long caseSeed = random.nextLong();
            try (RawH2Server server = new RawH2Server((c, stream) -> {
                Random r = new Random(caseSeed);
                int frames = 1 + r.nextInt(6);
                for (int f = 0; f < frames; f++) {
                    int type = r.nextInt(12);
                    int flags = r.nextInt(256);
                    int id = r.nextInt(4) == 0 ? r.nextInt(8) : stream;
                    byte[] payload = new byte[r.nextInt(40)];
                    r.nextBytes(payload);
                    if (type == HEADERS && r.nextBoolean()) {
                        payload = RawH2Server.concat(RawH2Server.status200(), payload);
                    }
                    c.frame(type, flags, id, payload);
                }
            }); Http2Exchanger x = new Http2Exchanger()) {
                Request req = new Request(server.port(), false);
                req.readTimeoutMillis = 200;
                req.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                    try {
                        x.exchange(req, new Response());
                    } catch (IOException expected) {
                        // the server broke the rules: a failed request
                    }
                }, () -> "seed " + seed + ", case " + caseSeed);
            }
        }
    }
}
