package io.locusttelemetry.engine.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 server on 127.0.0.1 (the JDK's), with the routes the client tests need. It records
 * every request it received, including the client port, which identifies the connection.
 */
final class TestHttpServer implements AutoCloseable {

    record Received(String method, String path, String rawQuery, Headers headers, byte[] body, int clientPort) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();

    TestHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    Received last() {
        return received.get(received.size() - 1);
    }

    void clear() {
        received.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String path = ex.getRequestURI().getRawPath();
        Headers copy = new Headers();
        copy.putAll(ex.getRequestHeaders());
        received.add(new Received(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(), copy, body,
                ex.getRemoteAddress().getPort()));
        Headers out = ex.getResponseHeaders();
        try (ex) {
            if (path.equals("/echo")) {
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                out.set("Content-Type", type == null ? "text/plain" : type);
                out.set("X-Method", ex.getRequestMethod());
                send(ex, 200, body);
            } else if (path.equals("/json")) {
                out.set("Content-Type", "application/json");
                send(ex, 200, "{\"name\":\"locust\",\"items\":[1,2,3]}".getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/status/")) {
                int status = Integer.parseInt(path.substring("/status/".length()));
                send(ex, status, ("status " + status).getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/login")) {
                out.add("Set-Cookie", "session=s" + sessions.incrementAndGet() + "; Path=/; HttpOnly");
                out.add("Set-Cookie", "theme=dark");
                send(ex, 200, "ok".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/logout")) {
                out.add("Set-Cookie", "session=; Max-Age=0; Path=/");
                send(ex, 200, "bye".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/whoami")) {
                String cookie = ex.getRequestHeaders().getFirst("Cookie");
                send(ex, 200, (cookie == null ? "" : cookie).getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/redirect/")) {
                int status = Integer.parseInt(path.substring("/redirect/".length()));
                String target = ex.getRequestURI().getRawQuery() == null ? "/echo" : "/echo?" + ex.getRequestURI().getRawQuery();
                out.set("Location", target);
                send(ex, status, "moved".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/redirect-chain")) {
                out.set("Location", baseUrl() + "/redirect/302");
                send(ex, 301, new byte[0]);
            } else if (path.equals("/chunked")) {
                ex.sendResponseHeaders(200, 0);   // 0 = chunked transfer encoding
                OutputStream os = ex.getResponseBody();
                for (int i = 1; i <= 3; i++) {
                    os.write(("part-" + i + "|").repeat(i * 700).getBytes(StandardCharsets.UTF_8));
                    os.flush();
                }
            } else if (path.equals("/fixed")) {
                byte[] data = "x".repeat(1234).getBytes(StandardCharsets.UTF_8);
                if (ex.getRequestMethod().equals("HEAD")) {
                    out.set("Content-Length", String.valueOf(data.length));
                    ex.sendResponseHeaders(200, -1);
                } else {
                    send(ex, 200, data);
                }
            } else if (path.equals("/headers")) {
                out.set("X-Reply", "yes");
                out.add("X-Multi", "1");
                out.add("X-Multi", "2");
                send(ex, 200, new byte[0]);
            } else {
                send(ex, 404, "not here".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
