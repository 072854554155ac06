package io.locusttelemetry.bench.httpclients;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks the hand-written client's response framing against a scripted loopback server.
 * Run: {@code java -cp target/classes io.locusttelemetry.bench.httpclients.RawSocketSelfTest}; prints "N passed, N failed".
 */
public final class RawSocketSelfTest {

    private int passed;
    private int failed;

    public static void main(String[] args) throws Exception {
        RawSocketSelfTest t = new RawSocketSelfTest();
        t.runAll();
        System.out.println(t.passed + " passed, " + t.failed + " failed");
        System.exit(t.failed == 0 ? 0 : 1);
    }

    private void runAll() throws Exception {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        String bigBody = new String(big, StandardCharsets.US_ASCII);

        check("content-length, keep-alive, 3 requests on one connection", 3, 1,
                n -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", new int[] {5, 5, 5}, null);
        check("header split byte by byte", 2, 1,
                n -> "HTTP/1.1 200 OK\r\nServer: x\r\ncontent-LENGTH:   3  \r\n\r\nabc", new int[] {3, 3},
                null, true);
        check("large body (larger than the buffers)", 2, 1,
                n -> "HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n" + bigBody,
                new int[] {big.length, big.length}, null);
        check("chunked with extension and trailer", 2, 1,
                n -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\n",
                new int[] {23, 23}, null);
        check("large chunked body", 1, 1,
                n -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(big.length) + "\r\n" + bigBody + "\r\n0\r\n\r\n",
                new int[] {big.length}, null);
        check("Connection: close, client reconnects", 3, 3,
                n -> "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
                new int[] {2, 2, 2}, null);
        check("HTTP/1.0 body until EOF", 2, 2,
                n -> "HTTP/1.0 200 OK\r\n\r\nuntil-eof", new int[] {9, 9}, null);
        check("100 Continue before the response", 2, 1,
                n -> "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
                new int[] {1, 1}, null);
        check("non-200 status is an error, connection stays usable", 2, 1,
                n -> n == 0 ? "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop"
                        : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                new int[] {-1, 2}, "status 404");
        check("server drops an idle kept-alive connection: one retry", 2, 2,
                n -> n == 1 ? null : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                new int[] {2, 2}, null);
        check("truncated body is an error", 1, 1,
                n -> "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", new int[] {-1},
                "closed inside the body");
    }

    private void check(String name, int requests, int expectedConnections,
            Function<Integer, String> responses, int[] expected, String expectedError) throws Exception {
        check(name, requests, expectedConnections, responses, expected, expectedError, false);
    }

    /**
     * Serves {@code requests} requests; {@code responses.apply(i)} is the raw reply to request i,
     * or null to close the connection without replying (after which the next connection
     * answers request i again with {@code responses.apply(i + 1)}).
     */
    private void check(String name, int requests, int expectedConnections,
            Function<Integer, String> responses, int[] expected, String expectedError, boolean trickle)
            throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int[] connections = {0};
            Thread serverThread = Thread.ofPlatform().daemon().start(() -> {
                int served = 0;
                try {
                    while (served < requests + 1) {
                        try (Socket s = server.accept()) {
                            connections[0]++;
                            InputStream in = s.getInputStream();
                            OutputStream out = s.getOutputStream();
                            while (served < requests + 1) {
                                if (!readRequest(in)) {
                                    break;
                                }
                                String reply = responses.apply(served++);
                                if (reply == null) {
                                    break;
                                }
                                byte[] bytes = reply.getBytes(StandardCharsets.US_ASCII);
                                if (trickle) {
                                    for (byte b : bytes) {
                                        out.write(b);
                                        out.flush();
                                    }
                                } else {
                                    out.write(bytes);
                                }
                                if (reply.contains("Connection: close") || reply.startsWith("HTTP/1.0")
                                        || reply.contains("Content-Length: 10\r\n\r\nshort")) {
                                    break;
                                }
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // server closed at the end of the check
                }
            });
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x");
            List<String> problems = new ArrayList<>();
            try (UserClient client = new RawSocketCandidate(uri, 10_000).newUser(0)) {
                for (int i = 0; i < requests; i++) {
                    try {
                        int n = client.get();
                        if (n != expected[i]) {
                            problems.add("request " + i + ": " + n + " bytes, expected " + expected[i]);
                        }
                    } catch (IOException e) {
                        if (expected[i] != -1 || expectedError == null || !String.valueOf(e.getMessage())
                                .contains(expectedError)) {
                            problems.add("request " + i + ": " + e);
                        }
                    }
                }
            }
            server.close();
            serverThread.join(2_000);
            if (connections[0] != expectedConnections) {
                problems.add(connections[0] + " connections, expected " + expectedConnections);
            }
            if (problems.isEmpty()) {
                passed++;
                System.out.println("ok    " + name);
            } else {
                failed++;
                System.out.println("FAIL  " + name + ": " + problems);
            }
        }
    }

    /** Reads one request head; false on EOF. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return true;
    }
}
