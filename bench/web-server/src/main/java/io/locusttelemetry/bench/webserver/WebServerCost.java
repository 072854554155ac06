package io.locusttelemetry.bench.webserver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.management.OperatingSystemMXBean;
import io.javalin.Javalin;
import io.helidon.webserver.WebServer;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.LocalRunner;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The cost of an embedded web server to the load generator: jlocust's users run at a fixed rate
 * against nginx in this JVM while a candidate server serves the statistics JSON, first idle (a
 * UI nobody looks at), then polled as a browser polls it (two requests every 2 s), then polled
 * hard (20 requests a second). Each window prints the requests the users made and this process's
 * CPU per 10,000 of them.
 *
 * <pre>WebServerCost CANDIDATE HOST RATE USERS WARMUP_S WINDOW_S</pre> with CANDIDATE one of
 * {@code none jetty javalin helidon}.
 */
public final class WebServerCost {

    /** One GET of the 100-byte file per task, paced to BENCH_RATE_PER_USER tasks a second. */
    public static class RateUser extends HttpUser {
        public RateUser() {
            waitTime(constantThroughput(Double.parseDouble(System.getProperty("bench.perUser", "200"))));
        }

        @Task
        void file() {
            client.get("/file.txt");
        }
    }

    interface Candidate extends AutoCloseable {
        int port();

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String candidate = args[0];
        String host = args[1];
        double rate = Double.parseDouble(args[2]);
        int users = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int window = Integer.parseInt(args[5]);
        System.setProperty("bench.perUser", String.valueOf(rate / users));
        Environment env = Environment.builder().userClasses(RateUser.class).host(host).build();
        LocalRunner runner = env.createLocalRunner();
        Supplier<String> json = () -> statsJson(env.stats().snapshot());
        try (Candidate server = start(candidate, json)) {
            runner.start(users, users);
            Thread.sleep(warmup * 1000L);
            HttpClient client = HttpClient.newHttpClient();
            for (String mode : new String[] {"idle", "browser", "busy"}) {
                ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
                if (server != null && !mode.equals("idle")) {
                    long periodMs = mode.equals("browser") ? 1000 : 50; // two routes per 2 s, or 20 a second
                    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/stats/requests");
                    poller.scheduleAtFixedRate(() -> {
                        try {
                            client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                        } catch (IOException | InterruptedException e) {
                            System.err.println("poll failed: " + e);
                        }
                    }, 0, periodMs, TimeUnit.MILLISECONDS);
                }
                long r0 = env.stats().snapshot().total().numRequests();
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                Thread.sleep(window * 1000L);
                long r1 = env.stats().snapshot().total().numRequests();
                long c1 = cpuNanos();
                double secs = (System.nanoTime() - t0) / 1e9;
                poller.shutdownNow();
                System.out.printf(Locale.ROOT, "%s\t%s\t%.0f\t%.4f%n", candidate, mode, (r1 - r0) / secs,
                        (r1 > r0 ? (c1 - c0) / 1e9 * 10_000 / (r1 - r0) : 0));
                if (server == null) {
                    break;
                }
            }
        } finally {
            runner.quit();
        }
    }

    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The same JSON for every candidate: what /stats/requests costs to render. */
    static String statsJson(StatsSnapshot s) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeArrayFieldStart("stats");
            for (EntrySnapshot e : s.sortedEntries()) {
                g.writeStartObject();
                g.writeStringField("name", e.name());
                g.writeNumberField("num_requests", e.numRequests());
                g.writeNumberField("avg_response_time", e.avgResponseTime());
                g.writeNumberField("response_time_percentile_0.95", e.numRequests() == 0 ? 0 : e.percentile(0.95));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("total_rps", s.totalRps(s.total()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static Candidate start(String name, Supplier<String> json) throws Exception {
        switch (name) {
            case "none":
                return null;
            case "jetty": {
                Server server = new Server();
                ServerConnector connector = new ServerConnector(server, 1, 1);
                connector.setHost("127.0.0.1");
                server.addConnector(connector);
                server.setHandler(new Handler.Abstract() {
                    @Override
                    public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                            Callback callback) {
                        response.getHeaders().put("Content-Type", "application/json");
                        response.write(true, ByteBuffer.wrap(json.get().getBytes(StandardCharsets.UTF_8)), callback);
                        return true;
                    }
                });
                server.start();
                return new Candidate() {
                    public int port() {
                        return connector.getLocalPort();
                    }

                    public void close() throws Exception {
                        server.stop();
                    }
                };
            }
            case "javalin": {
                Javalin app = Javalin.create(c -> {
                    c.jetty.host = "127.0.0.1";
                    c.jetty.port = 0;
                    c.routes.get("/stats/requests", ctx -> ctx.contentType("application/json").result(json.get()));
                }).start();
                return new Candidate() {
                    public int port() {
                        return app.port();
                    }

                    public void close() {
                        app.stop();
                    }
                };
            }
            case "helidon": {
                WebServer server = WebServer.builder().host("127.0.0.1").port(0)
                        .routing(r -> r.get("/stats/requests", (req, res) -> res.send(json.get()))).build().start();
                return new Candidate() {
                    public int port() {
                        return server.port();
                    }

                    public void close() {
                        server.stop();
                    }
                };
            }
            default:
                throw new IllegalArgumentException("unknown candidate " + name);
        }
    }

    private WebServerCost() {}
}
