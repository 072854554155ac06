package io.locusttelemetry.engine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.locusttelemetry.engine.RequestEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated hostile responses (random status lines, truncated heads, bogus and huge
 * lengths, bad chunk sizes, endless bodies, slow drips, garbage, early closes, many headers) from a
 * raw server of the test's own, to one user's client. For every one: the request ends in bounded
 * time, is reported exactly once, with a status of 0 or 100-999; it allocates a bounded amount;
 * a well-formed response is read right; and the same user's next request to a good server works.
 *
 * <p>Each case is generated from the seed and its index alone: {@code -Dfuzz.seed=S -Dfuzz.cases=N}
 * repeats a run, and a failure names both.
 */
class HostileResponseFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261207L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 3000);
    private static final int MAX_BODY = 256 * 1024;
    /** The total timeout of cases that hang or drip on purpose; the others get {@link #PATIENT}. */
    private static final Duration IMPATIENT = Duration.ofMillis(100);
    private static final Duration PATIENT = Duration.ofSeconds(10);
    private static final String[] REASONS = {"OK", "Created", "No Content", "Moved", "Not Found", "Teapot", "", "x y z"};
    private static final int[] STATUSES = {200, 201, 202, 203, 206, 299, 400, 404, 418, 500, 503, 599, 600, 999};

    /** What the server does after writing a case's bytes. */
    enum After { KEEP, CLOSE, HANG }

    /** One generated response; {@code status} and {@code length} are what a well-formed one must give, else -1. */
    record Case(int index, String kind, byte[] bytes, int dripMillis, After after, boolean endless, int status, int length) {
        Duration totalTimeout() {
            return after == After.HANG || dripMillis > 0 ? IMPATIENT : PATIENT;
        }

        String describe() {
            int n = Math.min(bytes.length, 120);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int c = bytes[i] & 0xff;
                sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
            }
            return kind + ", after " + after + (endless ? ", endless" : "") + (dripMillis > 0 ? ", drip " + dripMillis + " ms" : "")
                    + ", " + bytes.length + " bytes: " + sb + (bytes.length > n ? "..." : "");
        }
    }

    @Test
    void everyHostileResponseEndsOnceSanelyAndTheUserGoesOn() throws Exception {
        try (TestHttpServer good = new TestHttpServer(); RawHttpServer raw = new RawHttpServer(HostileResponseFuzzTest::serve);
             TestUsers users = new TestUsers()) {
            List<RequestEvent> events = users.events;
            HttpSession client = users.client(raw.baseUrl()).maxBodySize(MAX_BODY);
            long heapBefore = usedHeapAfterGc();
            int[] current = {-1};
            assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
                for (int i = 0; i < CASES; i++) {
                    current[0] = i;
                    runCase(client, generate(i), events, good);
                }
            }, () -> "seed " + SEED + ": case " + current[0] + " did not end (" + generate(current[0]).describe() + ")");
            long failed = events.stream().filter(e -> e.failure() != null && !e.url().startsWith(good.baseUrl())).count();
            System.out.println("hostile responses, seed " + SEED + ": " + CASES + " cases, " + failed + " failed as they should or by status");
            events.clear();
            good.clear();
            long heapGrowth = usedHeapAfterGc() - heapBefore;
            assertThat(heapGrowth).as("seed " + SEED + ": heap kept after " + CASES + " cases").isLessThan(32L << 20);
        }
    }

    private static void runCase(HttpSession client, Case c, List<RequestEvent> events, TestHttpServer good) {
        try {
            int before = events.size();
            long allocatedBefore = allocatedBytes();
            long start = System.nanoTime();
            HttpResponse r = client.get("/case/" + c.index(), o -> o.name("/case").header("X-Case", String.valueOf(c.index()))
                    .totalTimeout(c.totalTimeout()));
            double millis = (System.nanoTime() - start) / 1e6;
            long allocated = allocatedBytes() - allocatedBefore;

            assertThat(events).as("reported exactly once").hasSize(before + 1);
            RequestEvent e = events.get(before);
            assertThat(e.statusCode()).as("status of the event").isEqualTo(r.status());
            assertThat(r.status()).as("a sane status").satisfiesAnyOf(s -> assertThat(s).isZero(), s -> assertThat(s).isBetween(100, 999));
            assertThat(e.failure() == null).as("failed only without a response or by its status")
                    .isEqualTo(r.error() == null && r.status() < 400);
            assertThat(millis).as("ended in bounded time").isLessThan(c.totalTimeout().toMillis() + 5_000.0);
            assertThat(allocated).as("bytes allocated by the request").isLessThan(16L << 20);
            assertThat(r.length()).as("body within the limit").isLessThanOrEqualTo(MAX_BODY);
            if (c.status() >= 0) {
                assertThat(r.error()).as("a well-formed response is read").isNull();
                assertThat(r.status()).isEqualTo(c.status());
                assertThat(r.length()).isEqualTo(c.length());
            }
            if (c.endless() || c.dripMillis() > 0) {
                assertThat(r.error()).as("an endless or dripping body fails").isNotNull();
            }
            HttpResponse next = client.get(good.baseUrl() + "/echo");
            assertThat(next.status()).as("the next request to a good server").isEqualTo(200);
            assertThat(events).hasSize(before + 2);
        } catch (AssertionError e) {
            throw new AssertionError("seed " + SEED + ", case " + c.index() + " (" + c.describe() + "): " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ the server

    private static boolean serve(String head, InputStream in, OutputStream out) throws IOException, InterruptedException {
        RawHttpServer.skipBody(head, in);
        int at = head.indexOf("X-Case: ");
        Case c = generate(Integer.parseInt(head.substring(at + 8, head.indexOf('\r', at))));
        if (c.dripMillis() > 0) {
            for (byte b : c.bytes()) {
                out.write(b);
                out.flush();
                Thread.sleep(c.dripMillis());
            }
        } else {
            out.write(c.bytes());
        }
        if (c.endless()) {
            byte[] more = c.bytes().length > 0 && new String(c.bytes(), StandardCharsets.ISO_8859_1).contains("chunked")
                    ? "2000\r\n".concat("z".repeat(0x2000)).concat("\r\n").getBytes(StandardCharsets.ISO_8859_1)
                    : new byte[8192];
            while (true) {
                out.write(more);
            }
        }
        out.flush();
        if (c.after() == After.HANG) {
            while (in.read() >= 0) {
                // until the client gives up and closes
            }
            return false;
        }
        return c.after() == After.KEEP;
    }

    // ------------------------------------------------------------------ the generator

    static Case generate(int index) {
        Random rnd = new Random(SEED * 1_000_003L + index);
        int pick = rnd.nextInt(100);
        if (pick < 14) {
            return validLength(index, rnd);
        } else if (pick < 24) {
            return validChunked(index, rnd);
        } else if (pick < 28) {
            return validUntilClose(index, rnd);
        } else if (pick < 32) {
            return interim(index, rnd);
        } else if (pick < 42) {
            return badStatusLine(index, rnd);
        } else if (pick < 50) {
            return truncated(index, rnd);
        } else if (pick < 60) {
            return bogusLength(index, rnd);
        } else if (pick < 70) {
            return badChunks(index, rnd);
        } else if (pick < 75) {
            return endless(index, rnd);
        } else if (pick < 77) {
            return drip(index, rnd);
        } else if (pick < 86) {
            return garbage(index, rnd);
        } else if (pick < 90) {
            return new Case(index, "early close", new byte[0], 0, After.CLOSE, false, -1, -1);
        } else if (pick < 95) {
            return manyHeaders(index, rnd);
        }
        return badHeaderLine(index, rnd);
    }

    private static String statusLine(Random rnd, int status) {
        return "HTTP/1." + (rnd.nextInt(4) == 0 ? "0" : "1") + " " + status + " " + REASONS[rnd.nextInt(REASONS.length)] + "\r\n";
    }

    private static String headers(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(8);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(5)) {
                case 0 -> sb.append("Set-Cookie: c").append(i).append('=').append(rnd.nextInt(1000)).append("; Path=/\r\n");
                case 1 -> sb.append("Content-Type: text/plain; charset=utf-8\r\n");
                case 2 -> sb.append("X-Thing-").append(i).append(":").append(rnd.nextBoolean() ? " " : "\t").append("v\u00e9").append("\r\n");
                case 3 -> sb.append("Cache-Control: no-cache\r\n");
                default -> sb.append("Server: fuzz/").append(i).append("\r\n");
            }
        }
        return sb.toString();
    }

    private static String body(Random rnd, int n) {
        char[] cs = new char[n];
        for (int i = 0; i < n; i++) {
            cs[i] = (char) rnd.nextInt(256);
        }
        return new String(cs);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int finalStatus(Random rnd) {
        return STATUSES[rnd.nextInt(STATUSES.length)];
    }

    private static Case validLength(int index, Random rnd) {
        int status = finalStatus(rnd);
        int n = rnd.nextInt(6000);
        String response = statusLine(rnd, status) + headers(rnd) + "Content-Length: " + n + "\r\n\r\n" + body(rnd, n);
        boolean keep = !response.startsWith("HTTP/1.0");
        return new Case(index, "valid, by length", bytes(response), 0, keep ? After.KEEP : After.CLOSE, false, status, n);
    }

    private static String chunks(Random rnd, int total, boolean extensions) {
        StringBuilder sb = new StringBuilder();
        int left = total;
        while (left > 0) {
            int size = Math.min(left, 1 + rnd.nextInt(3000));
            String hex = Integer.toHexString(size);
            sb.append(rnd.nextBoolean() ? hex : hex.toUpperCase(java.util.Locale.ROOT));
            if (extensions && rnd.nextInt(4) == 0) {
                sb.append(";name=value");
            }
            sb.append("\r\n").append(body(rnd, size)).append("\r\n");
            left -= size;
        }
        return sb.toString();
    }

    private static Case validChunked(int index, Random rnd) {
        int status = finalStatus(rnd);
        int n = rnd.nextInt(20_000);
        String trailers = rnd.nextInt(3) == 0 ? "X-Trailer: t\r\n" : "";
        String response = statusLine(rnd, status).replace("HTTP/1.0", "HTTP/1.1") + headers(rnd) + "Transfer-Encoding: chunked\r\n\r\n"
                + chunks(rnd, n, true) + "0\r\n" + trailers + "\r\n";
        return new Case(index, "valid, chunked", bytes(response), 0, After.KEEP, false, status, n);
    }

    private static Case validUntilClose(int index, Random rnd) {
        int status = finalStatus(rnd);
        int n = rnd.nextInt(5000);
        String response = statusLine(rnd, status) + headers(rnd) + "Connection: close\r\n\r\n" + body(rnd, n);
        return new Case(index, "valid, until close", bytes(response), 0, After.CLOSE, false, status, n);
    }

    private static Case interim(int index, Random rnd) {
        StringBuilder sb = new StringBuilder();
        int k = 1 + rnd.nextInt(3);
        for (int i = 0; i < k; i++) {
            sb.append(rnd.nextBoolean() ? "HTTP/1.1 100 Continue\r\n\r\n" : "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n");
        }
        int n = rnd.nextInt(100);
        sb.append("HTTP/1.1 200 OK\r\nContent-Length: ").append(n).append("\r\n\r\n").append(body(rnd, n));
        return new Case(index, "interim responses", bytes(sb.toString()), 0, After.KEEP, false, 200, n);
    }

    /** A valid response after one to three random edits of its status line. */
    private static Case badStatusLine(int index, Random rnd) {
        StringBuilder line = new StringBuilder(statusLine(rnd, finalStatus(rnd)).trim());
        for (int e = 1 + rnd.nextInt(3); e > 0; e--) {
            int at = rnd.nextInt(line.length() + 1);
            switch (rnd.nextInt(3)) {
                case 0 -> line.insert(at, (char) rnd.nextInt(256));
                case 1 -> { if (at < line.length()) line.deleteCharAt(at); }
                default -> { if (at < line.length()) line.setCharAt(at, (char) rnd.nextInt(256)); }
            }
        }
        String response = line + "\r\nContent-Length: 2\r\n\r\nok";
        return new Case(index, "edited status line", bytes(response), 0, After.CLOSE, false, -1, -1);
    }

    private static Case truncated(int index, Random rnd) {
        String full = statusLine(rnd, 200) + headers(rnd) + "Content-Length: 10\r\n\r\n0123456789";
        int cut = rnd.nextInt(full.length());
        return new Case(index, "truncated at " + cut, bytes(full.substring(0, cut)), 0,
                rnd.nextInt(5) == 0 ? After.HANG : After.CLOSE, false, -1, -1);
    }

    private static Case bogusLength(int index, Random rnd) {
        String[] values = {"-5", "2000000000", "1000000000000000000", "99999999999999999999", "abc", "", "5, 6", "0x10",
                "+5", "5 5", "262145", "9223372036854775807", "1e3", "\u00bd", "7\u0000"};
        String v = values[rnd.nextInt(values.length)];
        StringBuilder sb = new StringBuilder(statusLine(rnd, 200)).append("Content-Length: ").append(v).append("\r\n");
        if (rnd.nextBoolean()) {
            sb.append("Content-Length: ").append(rnd.nextInt(20)).append("\r\n");
        }
        if (rnd.nextInt(4) == 0) {
            sb.append("Transfer-Encoding: chunked\r\n");
        }
        sb.append("\r\n").append(body(rnd, rnd.nextInt(40)));
        return new Case(index, "bogus length " + v, bytes(sb.toString()), 0, rnd.nextInt(4) == 0 ? After.HANG : After.CLOSE,
                false, -1, -1);
    }

    private static Case badChunks(int index, Random rnd) {
        String[] sizes = {"zz", "-1", "fffffffffffffffffff", "7fffffffffffffff", "", " 5", "5;\u0001", "0x5", "5\u00005",
                "100000000", "3", "40001"};
        String size = sizes[rnd.nextInt(sizes.length)];
        String response = statusLine(rnd, 200).replace("HTTP/1.0", "HTTP/1.1") + "Transfer-Encoding: chunked\r\n\r\n"
                + (rnd.nextBoolean() ? chunks(rnd, rnd.nextInt(100), false) : "") + size + "\r\nhello"
                + (rnd.nextBoolean() ? "\r\n0\r\n\r\n" : "");
        return new Case(index, "bad chunk size " + size, bytes(response), 0, rnd.nextInt(4) == 0 ? After.HANG : After.CLOSE,
                false, -1, -1);
    }

    private static Case endless(int index, Random rnd) {
        String head = rnd.nextBoolean()
                ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n";
        return new Case(index, "endless body", bytes(head), 0, After.CLOSE, true, -1, -1);
    }

    private static Case drip(int index, Random rnd) {
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "d".repeat(1000);
        return new Case(index, "drip", bytes(response), 10 + rnd.nextInt(30), After.CLOSE, false, -1, -1);
    }

    private static Case garbage(int index, Random rnd) {
        byte[] b = new byte[1 + rnd.nextInt(2000)];
        rnd.nextBytes(b);
        if (rnd.nextBoolean()) {
            // garbage after a good start
            byte[] start = bytes("HTTP/1.1 200 OK\r\n");
            System.arraycopy(start, 0, b, 0, Math.min(start.length, b.length));
        }
        return new Case(index, "garbage", b, 0, rnd.nextInt(5) == 0 ? After.HANG : After.CLOSE, false, -1, -1);
    }

    private static Case manyHeaders(int index, Random rnd) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n");
        boolean longLines = rnd.nextBoolean();
        int n = longLines ? 1 + rnd.nextInt(25) : 900 + rnd.nextInt(300);
        for (int i = 0; i < n; i++) {
            sb.append("X-H").append(i).append(": ").append(longLines ? "v".repeat(40_000 + rnd.nextInt(30_000)) : "v").append("\r\n");
        }
        sb.append("Content-Length: 2\r\n\r\nok");
        return new Case(index, (longLines ? "long" : "many") + " header lines: " + n, bytes(sb.toString()), 0, After.CLOSE, false,
                -1, -1);
    }

    private static Case badHeaderLine(int index, Random rnd) {
        String[] lines = {"NoColon", " folded: x", "Bad Name: x", "X-A: a\rb", ": empty", "X\u00e9: x", "X-A : 1", "\tX: y",
                "X-B: \u0000", "X-C: \u007f"};
        String response = "HTTP/1.1 200 OK\r\n" + lines[rnd.nextInt(lines.length)] + "\r\nContent-Length: 2\r\n\r\nok";
        return new Case(index, "bad header line", bytes(response), 0, After.CLOSE, false, -1, -1);
    }

    // ------------------------------------------------------------------ measuring

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
