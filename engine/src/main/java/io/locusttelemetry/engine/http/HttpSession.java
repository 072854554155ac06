package io.locusttelemetry.engine.http;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.engine.RequestTracer;
import io.locusttelemetry.engine.StopUser;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.http.internal.Http1Client;
import io.locusttelemetry.engine.http.internal.Protocols;
import io.locusttelemetry.engine.http.internal.RequestUrl;
import io.locusttelemetry.engine.internal.RequestGate;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The HTTP client of one {@link io.locusttelemetry.engine.HttpUser}: HTTP/1.1 over keep-alive
 * connections owned by this user alone (no shared pool, no locks), or HTTP/2 once {@link #http2()}
 * is called; cookies kept per user, redirects followed, every request timed and reported to the
 * environment's {@code request} event.
 *
 * <p>Relative URLs are resolved against the user's host. Responses with status 400 and above are
 * failures unless the task takes over with {@code catchResponse()}.
 */
public final class HttpSession implements AutoCloseable {
    /** The largest response body a client accepts unless told otherwise: 64 MiB. */
    public static final long DEFAULT_MAX_BODY_SIZE = 64L << 20;
    /** The largest body limit there can be: what one Java array holds. */
    public static final long LARGEST_MAX_BODY_SIZE = Integer.MAX_VALUE - 16;

    /** Whether {@code url} is an http or https URL with a host the client can connect to (a {@code --host}). */
    public static boolean isHttpUrl(String url) {
        if (url == null || !url.matches("^https?://[^\\s/]+.*")) {
            return false;
        }
        try {
            java.net.URI uri = java.net.URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private final User user;
    private final RequestGate gate;
    private final RequestOptions options = new RequestOptions();
    private final CookieJar cookies = new CookieJar();
    private final Http1Client http;
    private Pending open;
    private long totalTimeoutNanos;
    private long maxBodySize;

    public HttpSession(User user) {
        this.user = user;
        this.gate = RequestGate.of(user);
        this.http = new Http1Client(gate, options.headerNames, options.headerValues, new Http1Client.Cookies() {
            @Override
            public String headerFor(String host) {
                return cookies.headerFor(host);
            }

            @Override
            public void store(String host, String setCookie) {
                cookies.store(host, setCookie);
            }
        });
        if (user.getClass().isAnnotationPresent(io.locusttelemetry.engine.Http2.class)) {
            http2();
        }
    }

    /**
     * Sends this user's requests over HTTP/2 from now on: h2 negotiated with ALPN for https URLs (a
     * server that does not agree fails the request), h2c with prior knowledge for http URLs. One
     * connection per origin for this user, one request at a time; everything else (statistics,
     * cookies, redirects, timeouts, traces) is as over HTTP/1.1. {@link io.locusttelemetry.engine.Http2}
     * on the user class does the same for every user of it.
     *
     * @throws IllegalStateException when jlocust's http2 module is not on the class path
     */
    public HttpSession http2() {
        if (!http.usesProtocol()) {
            http.useProtocol(Protocols.http2().newExchanger());
        }
        return this;
    }

    /** This user's cookies. */
    public CookieJar cookies() {
        return cookies;
    }

    /** Connect and read timeouts of this client (defaults: 30 s to connect, no read timeout, as Locust). */
    public HttpSession timeouts(Duration connect, Duration read) {
        http.timeouts((int) connect.toMillis(), (int) read.toMillis());
        return this;
    }

    /**
     * The most each request of this client may take, connecting, sending and the whole response
     * included (default: no limit; {@link Duration#ZERO} removes it). The read timeout of
     * {@link #timeouts} bounds each read instead, which a server sending a byte now and then never reaches.
     */
    public HttpSession totalTimeout(Duration timeout) {
        this.totalTimeoutNanos = checkTimeout(timeout).toNanos();
        return this;
    }

    /**
     * The largest response body this client accepts, in bytes (default: {@code --max-body-size},
     * 64 MiB); a larger one fails the request and closes its connection.
     */
    public HttpSession maxBodySize(long bytes) {
        this.maxBodySize = checkBodySize(bytes);
        return this;
    }

    static Duration checkTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("a total timeout must be zero (none) or positive, not " + timeout);
        }
        return timeout;
    }

    /** Checks a body size limit; throws IllegalArgumentException when not in 1 .. {@link #LARGEST_MAX_BODY_SIZE}. */
    public static long checkBodySize(long bytes) {
        if (bytes <= 0 || bytes > LARGEST_MAX_BODY_SIZE) {
            throw new IllegalArgumentException("a body size limit must be from 1 byte to " + LARGEST_MAX_BODY_SIZE
                    + " bytes, not " + bytes);
        }
        return bytes;
    }

    /** Turns TLS certificate checks off (for test systems with self-signed certificates). */
    public HttpSession verifyTls(boolean verify) {
        http.verifyTls(verify);
        return this;
    }

    public HttpResponse get(String url) {
        return request("GET", url, null);
    }

    public HttpResponse get(String url, Consumer<RequestOptions> options) {
        return request("GET", url, options);
    }

    public HttpResponse post(String url, Consumer<RequestOptions> options) {
        return request("POST", url, options);
    }

    /** POSTs {@code body} as JSON. */
    public HttpResponse postJson(String url, Object body) {
        return request("POST", url, r -> r.json(body));
    }

    public HttpResponse put(String url, Consumer<RequestOptions> options) {
        return request("PUT", url, options);
    }

    public HttpResponse patch(String url, Consumer<RequestOptions> options) {
        return request("PATCH", url, options);
    }

    public HttpResponse delete(String url) {
        return request("DELETE", url, null);
    }

    public HttpResponse delete(String url, Consumer<RequestOptions> options) {
        return request("DELETE", url, options);
    }

    public HttpResponse head(String url) {
        return request("HEAD", url, null);
    }

    public HttpResponse head(String url, Consumer<RequestOptions> options) {
        return request("HEAD", url, options);
    }

    public HttpResponse options(String url, Consumer<RequestOptions> options) {
        return request("OPTIONS", url, options);
    }

    /**
     * Any method. A user being stopped sends nothing more: this throws {@link StopUser} instead. A
     * request already sent when its user is stopped has a grace to finish (see
     * {@code docs/writing-users.md}, "Stopping"); one that outlives it is reported as a failure
     * {@value RequestEvent.Failure#INTERRUPTED_BY_STOP} and this throws {@link StopUser}.
     */
    public HttpResponse request(String method, String url, Consumer<RequestOptions> configure) {
        if (open != null) {
            finish(null, open);
        }
        if (!gate.enter()) {
            throw new StopUser();
        }
        try {
            return send(method, url, configure);
        } finally {
            gate.exit();
        }
    }

    private HttpResponse send(String method, String url, Consumer<RequestOptions> configure) {
        RequestOptions o = options;
        o.reset();
        if (configure != null) {
            configure.accept(o);
        }
        RequestUrl target = http.url();
        target.resolve(url, o.query, user);
        String fullUrl = target.fullUrl();
        // Locust names a request by the path (and query) it requested, also for absolute URLs
        String name = o.name != null ? o.name : target.pathAndQuery();

        Environment env = user.environment();
        RequestTracer tracer = env == null ? null : env.tracer();
        Object trace = null;
        http.traceHeaders().clear();
        if (tracer != null) {
            trace = tracer.requestStarted(user.currentTaskTrace(), method, name, fullUrl, http.traceHeaders());
        }

        http.prepare();
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        HttpResponse response;
        Throwable error = null;
        try {
            long total = o.totalTimeout != null ? o.totalTimeout.toNanos() : totalTimeoutNanos;
            long maxBody = o.maxBodySize > 0 ? o.maxBodySize
                    : maxBodySize > 0 ? maxBodySize : env == null ? DEFAULT_MAX_BODY_SIZE : env.maxBodySize();
            http.execute(method, o.body, o.contentType, o.allowRedirects, o.timeout == null ? -1 : (int) o.timeout.toMillis(),
                    total, maxBody);
            response = new HttpResponse(http.status(), http.takeHead(), http.takeBody(), target.fullUrl(),
                    (http.receivedNanos() - start) / 1e6, null);
        } catch (IOException | RuntimeException e) {
            error = e;
            response = new HttpResponse(0, null, null, fullUrl, (System.nanoTime() - start) / 1e6, e);
        }
        double elapsed = response.elapsedMillis();
        Map<String, Object> context = o.context == null ? user.context() : withUserContext(o.context);
        if (error != null && gate.isCut()) {
            // the stop's interrupt closed the socket: the target got the request, its outcome is unknown
            report(method, name, response, RequestEvent.Failure.interruptedByStop(), startMillis, context, trace, elapsed);
            throw new StopUser();
        }
        if (o.catchResponse) {
            Pending p = new Pending(this, method, name, startMillis, context, trace);
            p.response = response;
            response.pending = p;
            open = p;
            return response;
        }
        RequestEvent.Failure failure = error != null ? RequestEvent.Failure.of(error) : statusFailure(response);
        report(method, name, response, failure, startMillis, context, trace, elapsed);
        return response;
    }

    /** The request's own context merged over the user's, as Locust does. */
    private Map<String, Object> withUserContext(Map<String, Object> requestContext) {
        Map<String, Object> merged = new HashMap<>(user.context());
        merged.putAll(requestContext);
        return merged;
    }

    private static RequestEvent.Failure statusFailure(HttpResponse r) {
        int s = r.status();
        if (s < 400) {
            return null;
        }
        String kind = s < 500 ? "Client Error" : "Server Error";
        return new RequestEvent.Failure("HTTPError",
                "HTTPError('" + s + " " + kind + ": " + r.reason() + " for url: " + r.url() + "')", null);
    }

    private void report(String method, String name, HttpResponse response, RequestEvent.Failure failure,
                        long startMillis, Map<String, Object> context, Object trace, double elapsed) {
        Environment env = user.environment();
        if (env == null) {
            return;
        }
        env.fireRequest(new RequestEvent(method, name, elapsed, response.length(), response.status(), failure,
                startMillis, response.url(), context, user, trace, user.millisSinceIntendedStart()));
    }

    /** Reports a caught response; called by {@link HttpResponse#close()} or before the next request. */
    void finish(HttpResponse response, Pending p) {
        if (p.reported) {
            return;
        }
        p.reported = true;
        if (open == p) {
            open = null;
        }
        if (response == null) {
            response = p.response;
        }
        RequestEvent.Failure failure;
        if (p.outcome == Pending.FAILURE) {
            failure = RequestEvent.Failure.of(p.message);
        } else if (p.outcome == Pending.SUCCESS) {
            failure = null;
        } else if (response.error() != null) {
            failure = RequestEvent.Failure.of(response.error());
        } else {
            failure = statusFailure(response);
        }
        report(p.method, p.name, response, failure, p.startMillis, p.context, p.trace, response.elapsedMillis());
    }

    /** Closes this user's connections. */
    @Override
    public void close() {
        if (open != null) {
            finish(null, open);
        }
        http.close();
    }

    /** A caught response not yet reported. */
    static final class Pending {
        static final int UNDECIDED = 0;
        static final int SUCCESS = 1;
        static final int FAILURE = 2;

        final HttpSession session;
        final String method;
        final String name;
        final long startMillis;
        final Map<String, Object> context;
        final Object trace;
        HttpResponse response;
        int outcome;
        String message;
        boolean reported;

        Pending(HttpSession session, String method, String name, long startMillis, Map<String, Object> context, Object trace) {
            this.session = session;
            this.method = method;
            this.name = name;
            this.startMillis = startMillis;
            this.context = context;
            this.trace = trace;
        }
    }
}
