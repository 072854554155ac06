package io.locusttelemetry.engine.http;

import static io.locusttelemetry.engine.http.TestUsers.ascii;
import static io.locusttelemetry.engine.http.TestUsers.bounded;
import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.RequestEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Responses a server should never send, through the real client against a real socket: each ends
 * the request as a failure with a clear error, closes the connection, and leaves the user able to
 * make its next request. Limits hold what a hostile server can make a user allocate.
 */
class HostileResponseTest {
    private static TestHttpServer good;
    private TestUsers users;
    private Environment env;
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
        env = users.env;
        events = users.events;
    }

    @AfterEach
    void closeUsers() {
        users.close();
    }

    private HttpSession newClient(String host) {
        return users.client(host);
    }

    /** A server that answers every request with {@code response} and closes the connection. */
    private static RawHttpServer answering(String response) throws IOException {
        return new RawHttpServer((head, in, out) -> {
            out.write(ascii(response));
            return false;
        });
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private String errorOf(HttpResponse r) {
        assertThat(r.error()).as("the request failed").isNotNull();
        return events.get(events.size() - 1).failure().message();
    }

    /** The same user, right after, gets a good answer from a well-behaved server. */
    private void goesOn(HttpSession client) {
        assertThat(client.get(good.baseUrl() + "/echo").status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ body size

    @Test
    void aHugeContentLengthFailsAtOnceWithoutAllocatingIt() throws Exception {
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2000000000\r\n\r\nhello"));
            out.flush();
            Thread.sleep(30_000);
            return false;
        })) {
            HttpSession client = newClient(raw.baseUrl());
            goesOn(client);
            long[] allocated = new long[1];
            HttpResponse r = bounded(() -> {
                long before = allocatedBytes();
                HttpResponse response = client.get("/big");
                allocated[0] = allocatedBytes() - before;
                return response;
            });

            assertThat(r.status()).isZero();
            assertThat(errorOf(r)).isEqualTo("ProtocolException('response body over the 64 MiB limit (--max-body-size)')");
            assertThat(r.elapsedMillis()).isLessThan(5_000);
            assertThat(allocated[0]).as("bytes allocated by the request").isLessThan(16L << 20);
            assertThat(events).hasSize(2);
            goesOn(client);
        }
    }

    /** Writes 16 KiB chunks until the client goes away. */
    private static boolean endlessChunks(OutputStream out) throws IOException {
        out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
        byte[] chunk = ascii("4000\r\n" + "x".repeat(0x4000) + "\r\n");
        while (true) {
            out.write(chunk);
        }
    }

    @Test
    void anEndlessChunkedBodyStopsAtTheRequestsLimit() throws Exception {
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> endlessChunks(out))) {
            HttpSession client = newClient(raw.baseUrl());
            HttpResponse r = bounded(() -> client.get("/endless", o -> o.maxBodySize(1 << 20)));

            assertThat(r.status()).isZero();
            assertThat(errorOf(r)).isEqualTo("ProtocolException('response body over the 1 MiB limit (--max-body-size)')");
            assertThat(r.length()).isZero();
            goesOn(client);
        }
    }

    @Test
    void anEndlessBodyWithoutLengthStopsAtTheClientsLimit() throws Exception {
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> {
            out.write(ascii("HTTP/1.0 200 OK\r\n\r\n"));
            byte[] block = new byte[8192];
            while (true) {
                out.write(block);
            }
        })) {
            HttpSession client = newClient(raw.baseUrl()).maxBodySize(300_000);
            HttpResponse r = bounded(() -> client.get("/stream"));

            assertThat(errorOf(r)).contains("response body over the 300000 bytes limit");
            goesOn(client);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"length", "chunked", "close"})
    void aBodyAtTheRunsLimitIsReadAndOneByteMoreFails(String framing) throws Exception {
        env.maxBodySize(1000);
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> {
            int n = head.startsWith("GET /over") ? 1001 : 1000;
            String body = "b".repeat(n);
            switch (framing) {
                case "length" -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\n\r\n" + body));
                case "chunked" -> out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "100\r\n" + body.substring(0, 256) + "\r\n" + Integer.toHexString(n - 256) + "\r\n"
                        + body.substring(256) + "\r\n0\r\n\r\n"));
                default -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body));
                    return false;
                }
            }
            return true;
        })) {
            HttpSession client = newClient(raw.baseUrl());
            HttpResponse at = bounded(() -> client.get("/at"));
            HttpResponse over = bounded(() -> client.get("/over"));

            assertThat(at.status()).isEqualTo(200);
            assertThat(at.text()).isEqualTo("b".repeat(1000));
            assertThat(errorOf(over)).contains("response body over the 1000 bytes limit (--max-body-size)");
            assertThat(bounded(() -> client.get("/at")).length()).isEqualTo(1000);
        }
    }

    /** Ten users each read a 4 MiB chunked body: what they keep afterwards is not what the body grew. */
    @Test
    void largeBodiesAreNotKeptByTheUsersAfterwards() throws Exception {
        byte[] chunk = ascii("10000\r\n" + "y".repeat(0x10000) + "\r\n");
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
            for (int i = 0; i < 64; i++) {
                out.write(chunk);
            }
            out.write(ascii("0\r\n\r\n"));
            return true;
        })) {
            List<HttpSession> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                clients.add(newClient(raw.baseUrl()));
            }
            long before = usedHeapAfterGc();
            for (HttpSession c : clients) {
                assertThat(bounded(() -> c.get("/four-mib")).length()).isEqualTo(4 << 20);
            }
            long kept = usedHeapAfterGc() - before;

            assertThat(kept).as("heap kept by 10 users after a 4 MiB body each").isLessThan(16L << 20);
            assertThat(raw.connections()).isEqualTo(10);
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ------------------------------------------------------------------ status line, headers, chunks

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 1:0 OK", "abc", "HTTP/1.1 099 Low", "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK",
            "HTTP/2 200 OK", "HTTP/1.1 200OK", "http/1.1 200 OK", "HTTP/1.1  200 OK", "HTTP/1.1 -20 OK",
            "HTTP/1.1 200 O\u0000K", "HTTP/1.1 200 O\rK", "ICY 200 OK", "", "HTTP/1.1 2\u00e90 OK"})
    void aMalformedStatusLineFailsTheRequest(String statusLine) throws Exception {
        try (RawHttpServer raw = answering(statusLine + "\r\nContent-Length: 2\r\n\r\nok")) {
            HttpSession client = newClient(raw.baseUrl());
            HttpResponse r = bounded(() -> client.get("/status"));

            assertThat(r.status()).isZero();
            assertThat(events).extracting(RequestEvent::statusCode).containsExactly(0);
            String error = errorOf(r);
            assertThat(error).startsWith("ProtocolException('malformed HTTP status line: \"");
            assertThat(error).doesNotContain("\u0000").doesNotContain("\r").doesNotContain("\u00e9");
            goesOn(client);
        }
    }

    @Test
    void theQuotedStatusLineIsCut() throws Exception {
        try (RawHttpServer raw = answering("X".repeat(5000) + "\r\n\r\n")) {
            HttpSession client = newClient(raw.baseUrl());
            String error = errorOf(bounded(() -> client.get("/")));
            assertThat(error).isEqualTo("ProtocolException('malformed HTTP status line: \"" + "X".repeat(80) + "\"... (5000 bytes)')");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 200", "HTTP/1.0 200 OK", "HTTP/1.1 599 Whatever it is", "HTTP/1.1 999 X",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK", "HTTP/1.1 200 R\u00e9sum\u00e9\tok"})
    void wellFormedStatusLinesAreAccepted(String statusLine) throws Exception {
        try (RawHttpServer raw = answering(statusLine + "\r\nContent-Length: 2\r\n\r\nok")) {
            HttpSession client = newClient(raw.baseUrl());
            HttpResponse r = bounded(() -> client.get("/"));
            int expected = Integer.parseInt(statusLine.substring(statusLine.lastIndexOf("HTTP/") + 9,
                    statusLine.lastIndexOf("HTTP/") + 12));
            assertThat(r.error()).isNull();
            assertThat(r.status()).isEqualTo(expected);
            assertThat(r.text()).isEqualTo("ok");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "negative length|Content-Length: -5\\r\\n\\r\\nhello|malformed Content-Length: \"-5\"",
        "not a number|Content-Length: abc\\r\\n\\r\\nhello|malformed Content-Length",
        "overflow|Content-Length: 99999999999999999999\\r\\n\\r\\nhello|malformed Content-Length",
        "two lengths|Content-Length: 5\\r\\nContent-Length: 6\\r\\n\\r\\nhello!|conflicting Content-Length headers: 5 and 6",
        "a list of two lengths|Content-Length: 5, 6\\r\\n\\r\\nhello!|malformed Content-Length",
        "no colon|NoColonHere\\r\\nContent-Length: 5\\r\\n\\r\\nhello|malformed HTTP header line: \"NoColonHere\"",
        "folded line|X-A: 1\\r\\n folded\\r\\nContent-Length: 5\\r\\n\\r\\nhello|malformed HTTP header line: \" folded\"",
        "space in the name|Bad Name: x\\r\\nContent-Length: 5\\r\\n\\r\\nhello|malformed HTTP header line",
        "space before the colon|Content-Length : 5\\r\\n\\r\\nhello|malformed HTTP header line",
        "bare CR in a value|X-A: a\\rb\\r\\nContent-Length: 5\\r\\n\\r\\nhello|malformed HTTP header line: \"X-A: a\\x0db\"",
        "empty name|: x\\r\\nContent-Length: 5\\r\\n\\r\\nhello|malformed HTTP header line",
        "chunk size not hex|Transfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\nhello\\r\\n0\\r\\n\\r\\n|malformed chunk size line: \"zz\"",
        "chunk size empty|Transfer-Encoding: chunked\\r\\n\\r\\n\\r\\nhello\\r\\n0\\r\\n\\r\\n|malformed chunk size line",
        "chunk size overflow|Transfer-Encoding: chunked\\r\\n\\r\\nfffffffffffffffffff\\r\\n|chunk size too large",
        "chunk size with junk|Transfer-Encoding: chunked\\r\\n\\r\\n5 x\\r\\nhello\\r\\n0\\r\\n\\r\\n|malformed chunk size line",
        "chunk longer than said|Transfer-Encoding: chunked\\r\\n\\r\\n3\\r\\nhello\\r\\n0\\r\\n\\r\\n|chunk longer than its size line says",
        "closed in the headers|Content-Length: 5\\r\\n|connection closed in the middle of response headers",
        "closed in the body|Content-Length: 50\\r\\n\\r\\nhello|connection closed before the response body ended",
        "closed in a chunk|Transfer-Encoding: chunked\\r\\n\\r\\n50\\r\\nhello|connection closed before the response body ended",
    })
    void aMalformedHeadOrBodyFailsTheRequest(String what, String rest, String expected) throws Exception {
        try (RawHttpServer raw = answering("HTTP/1.1 200 OK\r\n" + unescape(rest))) {
            HttpSession client = newClient(raw.baseUrl());
            HttpResponse r = bounded(() -> client.get("/"));

            assertThat(r.status()).as(what).isZero();
            assertThat(errorOf(r)).as(what).contains(unescape(expected));
            goesOn(client);
        }
    }

    private static String unescape(String csv) {
        return csv.replace("\\r", "\r").replace("\\n", "\n");
    }

    @Test
    void aListOfEqualLengthsAndChunkExtensionsAreAccepted() throws Exception {
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> {
            out.write(ascii(head.startsWith("GET /list")
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello"
                    : "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5 ; name=value\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"));
            return true;
        })) {
            HttpSession client = newClient(raw.baseUrl());
            assertThat(bounded(() -> client.get("/list")).text()).isEqualTo("hello");
            assertThat(bounded(() -> client.get("/ext")).text()).isEqualTo("hello");
            assertThat(bounded(() -> client.get("/list")).text()).isEqualTo("hello");
            assertThat(raw.connections()).as("all on one kept-alive connection").isEqualTo(1);
        }
    }

    @Test
    void aResponseWithBothLengthAndChunksIsReadByChunksAndItsConnectionClosed() throws Exception {
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
            return true;
        })) {
            HttpSession client = newClient(raw.baseUrl());
            assertThat(bounded(() -> client.get("/a")).text()).isEqualTo("hello");
            assertThat(bounded(() -> client.get("/b")).text()).isEqualTo("hello");
            assertThat(raw.connections()).isEqualTo(2);
        }
    }

    @Test
    void tooManyHeaderLinesFail() throws Exception {
        try (RawHttpServer raw = answering("HTTP/1.1 200 OK\r\n" + "X-N: n\r\n".repeat(2000) + "Content-Length: 0\r\n\r\n")) {
            HttpSession client = newClient(raw.baseUrl());
            assertThat(errorOf(bounded(() -> client.get("/")))).contains("response head over the limit of 1000 lines");
            goesOn(client);
        }
    }

    @Test
    void aHeadOverOneMebibyteFails() throws Exception {
        String line = "X-Big: " + "v".repeat(60_000) + "\r\n";
        try (RawHttpServer raw = answering("HTTP/1.1 200 OK\r\n" + line.repeat(20) + "Content-Length: 0\r\n\r\n")) {
            HttpSession client = newClient(raw.baseUrl());
            assertThat(errorOf(bounded(() -> client.get("/")))).contains("response head over the 1 MiB limit");
            goesOn(client);
        }
    }

    @Test
    void endlessInterimResponsesFail() throws Exception {
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> {
            while (true) {
                out.write(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
            }
        })) {
            HttpSession client = newClient(raw.baseUrl());
            assertThat(errorOf(bounded(() -> client.get("/")))).contains("response head over the");
            goesOn(client);
        }
    }

    @Test
    void aLineOverSixtyFourKibibytesFails() throws Exception {
        try (RawHttpServer raw = answering("HTTP/1.1 200 OK\r\nX-Long: " + "v".repeat(70_000) + "\r\n\r\n")) {
            HttpSession client = newClient(raw.baseUrl());
            assertThat(errorOf(bounded(() -> client.get("/")))).contains("response line longer than 64 KiB");
            goesOn(client);
        }
    }

    @Test
    void aMalformedResponseClosesTheConnection() throws Exception {
        try (RawHttpServer raw = new RawHttpServer((head, in, out) -> {
            out.write(ascii(head.startsWith("GET /bad") ? "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
            return true;
        })) {
            HttpSession client = newClient(raw.baseUrl());
            assertThat(bounded(() -> client.get("/good")).status()).isEqualTo(200);
            assertThat(bounded(() -> client.get("/bad")).status()).isZero();
            assertThat(bounded(() -> client.get("/good")).status()).isEqualTo(200);
            assertThat(raw.connections()).isEqualTo(2);
            assertThat(raw.requests()).as("no retry of the malformed response").isEqualTo(3);
        }
    }
}
