package io.locusttelemetry.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** A target that answers {@code /wait} after a delay the test sets (and changes), and counts the requests. */
final class DelayTarget implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong delayMillis;
    private final AtomicLong requests = new AtomicLong();

    private DelayTarget(long delayMillis) throws IOException {
        this.delayMillis = new AtomicLong(delayMillis);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            try (ex) {
                ex.getRequestBody().readAllBytes();
                try {
                    Thread.sleep(this.delayMillis.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = "waited\n".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    static DelayTarget start(long delayMillis) throws IOException {
        return new DelayTarget(delayMillis);
    }

    void delay(long millis) {
        delayMillis.set(millis);
    }

    long requests() {
        return requests.get();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
