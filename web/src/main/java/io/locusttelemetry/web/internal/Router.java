package io.locusttelemetry.web.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.UrlRedaction;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.web.LogTail;
import io.locusttelemetry.web.RunReports;
import io.locusttelemetry.web.WebSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The web UI's routes: Locust's API, the page and its assets, and the UI's own live data. */
public final class Router extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger("jlocust.web");
    private static final String JSON = "application/json; charset=utf-8";
    private static final String CSV = "text/csv; charset=utf-8";

    /** What the routes serve. */
    public record Context(Environment env, TestControl control, TelemetryCoordinator telemetry, RunReports reports, LogTail logs,
            WebSettings settings, List<OptionSpec> formOptions, Map<String, Object> defaults, String locustfile, String version) {}

    private final Context c;
    private final Guard guard;
    private final Assets assets;

    public Router(Context context) {
        this.c = context;
        this.guard = new Guard(context.settings().login());
        this.assets = new Assets(context.settings().basePath());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String base = c.settings().basePath();
        Answer a;
        try {
            if (!guard.authorized(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"jlocust\", charset=\"UTF-8\"");
                a = Answer.text(401, "Log in with the user and password of --web-login");
            } else if (!path.startsWith(base)) {
                a = Answer.text(404, "Not found: the web UI is under " + base + "/");
            } else {
                a = route(request, path.substring(base.length()));
            }
        } catch (BadRequest e) {
            a = new Answer(400, JSON, Json.result(false, e.getMessage(), null));
        } catch (Forbidden e) {
            a = new Answer(403, JSON, Json.result(false, e.getMessage(), null));
        } catch (TestControl.Conflict e) {
            a = new Answer(409, JSON, Json.result(false, e.getMessage(), null));
        } catch (RuntimeException e) {
            log.error("web UI: {} {} failed: {}", request.getMethod(), path, e.toString(), e);
            a = new Answer(500, JSON, Json.result(false, "internal error: " + e.getClass().getSimpleName(), null));
        }
        a.send(response, callback);
        return true;
    }

    private Answer route(Request request, String path) {
        String method = request.getMethod();
        boolean get = method.equals("GET") || method.equals("HEAD");
        switch (path) {
            case "", "/" -> {
                return get ? assets.index() : notAllowed();
            }
            case "/swarm" -> {
                if (!method.equals("POST")) {
                    return notAllowed();
                }
                checkSameSite(request);
                Swarm s = Swarm.parse(FormBody.parse(body(request)), TestControl.declaredWeights(c.env()), c.formOptions(),
                        c.env().parsedOptions());
                String message = c.control().swarm(s);
                String host = c.env().host() == null ? "" : UrlRedaction.redact(c.env().host());
                return Answer.json(Json.render(g -> {
                    g.writeStartObject();
                    g.writeBooleanField("success", true);
                    g.writeStringField("message", message);
                    g.writeStringField("host", host);
                    if (s.runTimeSeconds() != null) {
                        g.writeNumberField("run_time", s.runTimeSeconds());
                    }
                    g.writeArrayFieldStart("user_classes");
                    for (String name : c.control().weights().keySet().stream().sorted().toList()) {
                        g.writeString(name);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }));
            }
            case "/stop" -> {
                checkSameSite(request);
                c.control().stop();
                return Answer.json(Json.result(true, "Test stopped", null));
            }
            case "/stats/reset" -> {
                checkSameSite(request);
                c.control().resetStats();
                return Answer.text(200, "ok");
            }
            default -> {
                if (!get) {
                    return notAllowed();
                }
                return read(request, path);
            }
        }
    }

    private Answer read(Request request, String path) {
        return switch (path) {
            case "/stats/requests" -> Answer.json(StatsJson.requests(c.env()));
            case "/exceptions" -> Answer.json(StatsJson.exceptions(c.env().runner()));
            case "/tasks" -> Answer.json(StatsJson.tasks(c.env()));
            case "/logs" -> Answer.json(Json.render(g -> {
                g.writeStartObject();
                g.writeArrayFieldStart("master");
                for (String line : c.logs().lines()) {
                    g.writeString(line);
                }
                g.writeEndArray();
                g.writeObjectFieldStart("workers");
                g.writeEndObject();
                g.writeEndObject();
            }));
            case "/worker-count" -> Answer.json("{\"worker_count\":"
                    + c.env().runner().workers().stream().filter(w -> !"missing".equals(w.state())).count() + "}");
            case "/stats/requests/csv" -> download(CSV, "requests.csv", c.reports()::requestsCsv);
            case "/stats/failures/csv" -> download(CSV, "failures.csv", c.reports()::failuresCsv);
            case "/exceptions/csv" -> download(CSV, "exceptions.csv", c.reports()::exceptionsCsv);
            case "/stats/requests_full_history/csv", "/stats/history/csv" -> download(CSV, "stats_history.csv", c.reports()::historyCsv);
            case "/stats/json" -> download(JSON, "stats.json", c.reports()::json);
            case "/stats/report" -> {
                Answer report = new Answer(200, "text/html; charset=utf-8", c.reports().htmlReport()).report();
                Fields q = Request.extractQueryParameters(request);
                yield q.getValue("download") != null ? report.attachment(fileName("report.html")) : report;
            }
            case "/ui/setup" -> Answer.json(UiJson.setup(c.env(), c.control(), c.formOptions(), c.defaults(), c.locustfile(), c.version()));
            case "/ui/live" -> Answer.json(UiJson.live(c.env(), c.control(), c.telemetry(), c.settings(), since(request)));
            default -> path.startsWith("/assets/") ? assets.asset(path.substring("/assets/".length())) : Answer.text(404, "Not found");
        };
    }

    private static long since(Request request) {
        String v = Request.extractQueryParameters(request).getValue("since");
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadRequest("since must be a Unix second");
        }
    }

    private Answer download(String type, String suffix, Supplier<String> content) {
        return new Answer(200, type, content.get()).attachment(fileName(suffix));
    }

    /** Locust's names: {@code Locust_<start>_<locustfile>_<suffix>}, made safe for a header. */
    private String fileName(String suffix) {
        long start = c.control().testStartedMillis();
        String stamp = start == 0 ? "" : new java.text.SimpleDateFormat("yyyy-MM-dd-HH'h'mm").format(new java.util.Date(start)) + "_";
        String file = c.locustfile() == null ? "" : c.locustfile().replaceAll(".*[/\\\\]", "").replaceAll("\\.java$", "");
        return ("jlocust_" + stamp + file + "_" + suffix).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private void checkSameSite(Request request) {
        String scheme = c.settings().tls() ? "https" : "http";
        String host = request.getHeaders().get(HttpHeader.HOST);
        String refused = Guard.crossSite(request.getHeaders().get(HttpHeader.ORIGIN), request.getHeaders().get("Sec-Fetch-Site"),
                scheme + "://" + (host == null ? "" : host));
        if (refused != null) {
            throw new Forbidden(refused);
        }
    }

    private static String body(Request request) {
        long length = request.getLength();
        if (length > FormBody.MAX_BYTES) {
            throw new BadRequest("the form is larger than " + FormBody.MAX_BYTES + " bytes");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(FormBody.MAX_BYTES + 1);
            if (bytes.length > FormBody.MAX_BYTES) {
                throw new BadRequest("the form is larger than " + FormBody.MAX_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new BadRequest("the form could not be read: " + e.getMessage());
        }
    }

    private static Answer notAllowed() {
        return Answer.text(405, "Method not allowed");
    }

    /** A request refused for where it came from: 403. */
    static final class Forbidden extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }
}
