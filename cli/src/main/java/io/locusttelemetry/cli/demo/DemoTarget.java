package io.locusttelemetry.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded system under test of {@code jlocust demo}: a small shop API on a free loopback port.
 * {@code /} is fast, {@code /slow} takes 50-250 ms, {@code /flaky} fails 5% of requests with 500,
 * {@code /api/items/{id}} answers JSON, {@code POST /api/cart} accepts JSON, {@code /delay?ms=N}
 * waits exactly N ms. Every request's {@code traceparent} header is remembered for tests.
 */
public final class DemoTarget implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, Boolean> traceparents = new ConcurrentHashMap<>();

    private DemoTarget(HttpServer server) {
        this.server = server;
    }

    /** Starts the target on 127.0.0.1 and a free port. */
    public static DemoTarget start() throws IOException {
        return start(0);
    }

    public static DemoTarget start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        DemoTarget target = new DemoTarget(server);
        server.createContext("/", target::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return target;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public long requestCount() {
        return requests.get();
    }

    /** The {@code traceparent} headers received so far. */
    public java.util.Set<String> traceparents() {
        return traceparents.keySet();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String tp = ex.getRequestHeaders().getFirst("traceparent");
        if (tp != null && traceparents.size() < 100_000) {
            traceparents.put(tp, Boolean.TRUE);
        }
        try (ex) {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            switch (path) {
                case "/" -> send(ex, 200, "text/html", "<html><body><h1>Demo shop</h1></body></html>");
                case "/slow" -> {
                    sleep(50 + random.nextInt(200));
                    send(ex, 200, "text/plain", "slow but fine\n");
                }
                case "/flaky" -> {
                    if (random.nextInt(100) < 5) {
                        send(ex, 500, "text/plain", "something broke\n");
                    } else {
                        send(ex, 200, "text/plain", "ok\n");
                    }
                }
                case "/delay" -> {
                    String q = ex.getRequestURI().getQuery();
                    int ms = q != null && q.startsWith("ms=") ? Integer.parseInt(q.substring(3)) : 100;
                    sleep(ms);
                    send(ex, 200, "text/plain", "waited " + ms + " ms\n");
                }
                case "/api/cart" -> {
                    if (!"POST".equals(ex.getRequestMethod())) {
                        send(ex, 405, "text/plain", "POST only\n");
                    } else {
                        send(ex, 201, "application/json", "{\"status\":\"added\"}");
                    }
                }
                default -> {
                    if (path.startsWith("/api/items/")) {
                        String id = path.substring("/api/items/".length());
                        if (!id.matches("\\d+")) {
                            send(ex, 404, "application/json", "{\"error\":\"no such item\"}");
                        } else {
                            send(ex, 200, "application/json", "{\"id\":" + id + ",\"name\":\"Item " + id
                                    + "\",\"price\":" + (Integer.parseInt(id) % 50 + 0.99) + ",\"in_stock\":true}");
                        }
                    } else {
                        send(ex, 404, "text/plain", "not found\n");
                    }
                }
            }
        }
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
