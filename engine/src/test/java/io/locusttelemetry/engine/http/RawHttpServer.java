package io.locusttelemetry.engine.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written HTTP/1.1 server on 127.0.0.1 for wire behaviour the JDK server cannot show:
 * closing keep-alive connections after an idle time, answering nothing at all, or answering with
 * whatever bytes a test writes (hostile responses).
 */
final class RawHttpServer implements AutoCloseable {

    enum Mode {
        /** Keeps the connection and closes it after {@code idleMillis} without a request. */
        IDLE_CLOSE,
        /** Accepts and closes without answering. */
        HANG_UP,
        /** Hands each request to the {@link Responder}. */
        SCRIPTED
    }

    /** Answers one request with raw bytes. */
    @FunctionalInterface
    interface Responder {
        /**
         * @param head the request head (the body, if any, is still unread in {@code in})
         * @return true to keep the connection for another request, false to close it
         */
        boolean respond(String head, InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    /** Reads the body of a request whose head is {@code head}. */
    static void skipBody(String head, InputStream in) throws IOException {
        in.readNBytes(contentLength(head));
    }

    /** A server that answers every request through {@code responder}. */
    RawHttpServer(Responder responder) throws IOException {
        this.mode = Mode.SCRIPTED;
        this.idleMillis = 0;
        this.responder = responder;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final int idleMillis;
    private final Responder responder;
    private volatile Mode mode;

    RawHttpServer(Mode mode, int idleMillis) throws IOException {
        this.mode = mode;
        this.idleMillis = idleMillis;
        this.responder = null;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    int requests() {
        return requests.get();
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            if (mode == Mode.HANG_UP) {
                return;
            }
            s.setSoTimeout(idleMillis);
            InputStream in = s.getInputStream();
            while (true) {
                String head;
                try {
                    head = readHead(in);
                } catch (java.net.SocketTimeoutException idle) {
                    return; // idle keep-alive connection: close it, as servers do
                }
                if (head == null) {
                    return;
                }
                if (mode == Mode.SCRIPTED) {
                    requests.incrementAndGet();
                    OutputStream out = s.getOutputStream();
                    boolean keep = responder.respond(head, in, out);
                    out.flush();
                    if (!keep) {
                        return;
                    }
                    continue;
                }
                int length = contentLength(head);
                in.readNBytes(length);
                requests.incrementAndGet();
                byte[] body = ("hello " + requests.get()).getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(body);
                s.getOutputStream().flush();
            }
        } catch (IOException e) {
            // client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(s);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            buf.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
