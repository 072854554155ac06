package io.locusttelemetry.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 target on 127.0.0.1 that takes its time, for what nginx cannot do: {@code /delay?ms=N}
 * answers after N ms, any other path after the target's own delay ({@link #delay(long)}, none unless set),
 * which a test may change while clients run (keep-alive, one virtual thread per connection).
 *
 * <p>It counts a request as served once it has read the request's head, as nginx logs a request
 * it has read even when the client leaves before the answer (status 499): a request a client sent
 * and then gave up on is served, one it never sent is not. Data a client sent before closing its
 * end is still read, so a request is counted even when this target reads it late.
 */
public final class DelayTarget implements AutoCloseable {
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEAD = 16 * 1024;

    private final ServerSocket server;
    private final AtomicLong served = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong otherPathsDelay = new AtomicLong();
    private final Thread acceptor;

    private DelayTarget(ServerSocket server) {
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("delay-target-accept").start(this::accept);
    }

    /** Starts a target on a free loopback port. */
    public static DelayTarget start() throws IOException {
        return new DelayTarget(new ServerSocket(0, 512, InetAddress.getLoopbackAddress()));
    }

    /** Starts a target on a free loopback port whose paths other than {@code /delay} answer after {@code millis}. */
    public static DelayTarget start(long millis) throws IOException {
        return start().delay(millis);
    }

    /** From now on, paths other than {@code /delay?ms=N} answer after {@code millis}. */
    public DelayTarget delay(long millis) {
        otherPathsDelay.set(millis);
        return this;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Requests served so far. */
    public long served() {
        return served.get();
    }

    /**
     * Waits until no client connection is open (every client closed its connections and every
     * answer under way is done), then returns the requests served; fails after {@code timeout}.
     */
    public long awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(open.get() + " connections to the delay target still open after " + timeout);
            }
            Thread.sleep(20);
        }
        return served.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.incrementAndGet();
                Thread.ofVirtual().name("delay-target-conn").start(() -> serve(s));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            Reader in = new Reader(s);
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = in.head();
                if (head == null) {
                    return;
                }
                served.incrementAndGet();
                in.skipBody(head);
                long delay = delayMillis(head);
                if (delay > 0 && !in.awaitUnlessClosed(delay)) {
                    return; // the client left before the answer (nginx's 499)
                }
                out.write(OK);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.decrementAndGet();
        }
    }

    /** Reads one connection's requests. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final byte[] buf = new byte[8192];
        private int pos;
        private int limit;

        Reader(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        private boolean fill() throws IOException {
            if (pos < limit) {
                return true;
            }
            int n = in.read(buf);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }

        /** The request line and headers, or null at the end of the connection before a whole head. */
        String head() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream(256);
            int newlines = 0;
            while (true) {
                if (!fill()) {
                    return null;
                }
                int b = buf[pos++];
                head.write(b);
                if (b == '\n') {
                    if (++newlines == 2) {
                        return head.toString(StandardCharsets.ISO_8859_1);
                    }
                } else if (b != '\r') {
                    newlines = 0;
                }
                if (head.size() > MAX_HEAD) {
                    throw new IOException("request head too long");
                }
            }
        }

        void skipBody(String head) throws IOException {
            for (String line : head.split("\r?\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    long n = Long.parseLong(line.substring("content-length:".length()).trim());
                    while (n > 0) {
                        if (!fill()) {
                            throw new IOException("body cut short");
                        }
                        int chunk = (int) Math.min(n, limit - pos);
                        pos += chunk;
                        n -= chunk;
                    }
                }
            }
        }

        /**
         * Waits {@code millis}, or less when the client sends more; false when it closed its end
         * meanwhile (then nobody reads the answer).
         */
        boolean awaitUnlessClosed(long millis) throws IOException {
            if (pos < limit) {
                return true;
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(millis, Integer.MAX_VALUE)));
            try {
                return fill();
            } catch (SocketTimeoutException e) {
                return true;
            } finally {
                socket.setSoTimeout(0);
            }
        }
    }

    private long delayMillis(String head) {
        int end = head.indexOf(' ', head.indexOf(' ') + 1);
        String target = end < 0 ? "" : head.substring(head.indexOf(' ') + 1, end);
        int at = target.indexOf("ms=");
        if (!target.startsWith("/delay")) {
            return otherPathsDelay.get();
        }
        if (at < 0) {
            return 0;
        }
        int stop = at + 3;
        while (stop < target.length() && Character.isDigit(target.charAt(stop))) {
            stop++;
        }
        return stop == at + 3 ? 0 : Long.parseLong(target.substring(at + 3, stop));
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
