package io.locusttelemetry.telemetry.otel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** A system under test on 127.0.0.1: {@code /ok} answers 200, {@code /fail} 500; it keeps every {@code traceparent} it receives. */
final class TestTarget implements AutoCloseable {
    private final HttpServer server;
    private final List<String> traceparents = new CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();

    TestTarget() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            String tp = ex.getRequestHeaders().getFirst("traceparent");
            if (tp != null) {
                traceparents.add(tp);
            }
            ex.getRequestBody().readAllBytes();
            int status = ex.getRequestURI().getPath().startsWith("/fail") ? 500 : 200;
            byte[] body = (status == 200 ? "ok\n" : "broken\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> traceparents() {
        return List.copyOf(traceparents);
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
