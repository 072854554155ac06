package io.locusttelemetry.engine.http;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.engine.RequestTracer;
import io.locusttelemetry.engine.StopUser;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.http.internal.Http1Connection;
import io.locusttelemetry.engine.http.internal.Http1Connection.ByteSink;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The HTTP client of one {@link io.locusttelemetry.engine.HttpUser}: HTTP/1.1 over keep-alive
 * connections owned by this user alone (no shared pool, no locks), cookies kept per user, redirects
 * followed, every request timed and reported to the environment's {@code request} event.
 *
 * <p>Relative URLs are resolved against the user's host. Responses with status 400 and above are
 * failures unless the task takes over with {@code catchResponse()}.
 */
public final class HttpSession implements AutoCloseable {
    private static final String USER_AGENT = "jlocust/0.1";
    private static final int MAX_REDIRECTS = 30;

    static {
        // The request path catches SocketException. While none of its subclasses is loaded, C2
        // compiles that catch as an exact type check that depends on the class having no
        // subclasses; ConnectException, loaded elsewhere in the JVM a few seconds into a run with
        // telemetry, then threw the request path's compiled code away and C2 compiled it again,
        // which set the warm-up back by seconds. Loading the JDK's subclasses first settles the
        // hierarchy before the JIT sees the request path.
        for (String name : new String[] {"java.net.ConnectException", "java.net.BindException",
                "java.net.NoRouteToHostException", "java.net.PortUnreachableException",
                "sun.net.ConnectionResetException"}) {
            try {
                Class.forName(name, false, HttpSession.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this JDK: nothing to settle
            }
        }
    }

    private final User user;
    private final RequestOptions options = new RequestOptions();
    /** Where a tracer puts its headers; made once, not per request. */
    private final TraceHeaders traceHeaders = new TraceHeaders();
    private final CookieJar cookies = new CookieJar();
    private final ByteSink line = new ByteSink(256, true);
    private final ByteSink headBlock = new ByteSink(512, true);
    private final ByteSink chunked = new ByteSink(256, true);
    private Http1Connection[] connections = new Http1Connection[0];
    private Pending open;

    private String baseFor;
    private Target base;
    private String lastPath;
    private String lastUrl;

    private int connectTimeoutMillis = 30_000;
    // no read timeout by default, as Locust's HttpUser: a socket timeout makes every blocking read on a
    // virtual thread a timed park, which measured at about 15 times the context switches per request
    private int readTimeoutMillis = 0;
    private boolean verifyTls = true;
    private SSLSocketFactory tlsFactory;

    public HttpSession(User user) {
        this.user = user;
    }

    /** This user's cookies. */
    public CookieJar cookies() {
        return cookies;
    }

    /** Connect and read timeouts of this client (defaults: 30 s to connect, no read timeout, as Locust). */
    public HttpSession timeouts(Duration connect, Duration read) {
        this.connectTimeoutMillis = (int) connect.toMillis();
        this.readTimeoutMillis = (int) read.toMillis();
        return this;
    }

    /** Turns TLS certificate checks off (for test systems with self-signed certificates). */
    public HttpSession verifyTls(boolean verify) {
        this.verifyTls = verify;
        this.tlsFactory = null;
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

    /** Any method. */
    public HttpResponse request(String method, String url, Consumer<RequestOptions> configure) {
        if (open != null) {
            finish(null, open);
        }
        RequestOptions o = options;
        o.reset();
        if (configure != null) {
            configure.accept(o);
        }
        Target target;
        String pathAndQuery;
        String fullUrl;
        if (url.startsWith("http://") || url.startsWith("https://")) {
            target = Target.parse(url);
            pathAndQuery = withQuery(target.path, o);
            fullUrl = target.origin + pathAndQuery;
        } else {
            target = base();
            if (!url.startsWith("/")) {
                url = "/" + url;
            }
            pathAndQuery = withQuery(target.path.equals("/") ? url : target.path + url, o);
            if (o.query == null && url == lastPath) {
                fullUrl = lastUrl;
            } else {
                fullUrl = target.origin + pathAndQuery;
                if (o.query == null) {
                    lastPath = url;
                    lastUrl = fullUrl;
                }
            }
        }
        // Locust names a request by the path (and query) it requested, also for absolute URLs
        String name = o.name != null ? o.name : pathAndQuery;

        Environment env = user.environment();
        RequestTracer tracer = env == null ? null : env.tracer();
        Object trace = null;
        traceHeaders.traceparent = false;
        if (tracer != null) {
            trace = tracer.requestStarted(user.currentTaskTrace(), method, name, fullUrl, traceHeaders);
        }

        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        HttpResponse response;
        Throwable error = null;
        try {
            response = execute(method, target, pathAndQuery, fullUrl, o, start);
        } catch (IOException | RuntimeException e) {
            if (user.isKilled()) {
                throw new StopUser();
            }
            error = e;
            response = new HttpResponse(0, null, null, fullUrl, (System.nanoTime() - start) / 1e6, e);
        }
        double elapsed = response.elapsedMillis();
        Map<String, Object> context = o.context == null ? user.context() : withUserContext(o.context);
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
        Map<String, Object> merged = new java.util.HashMap<>(user.context());
        merged.putAll(requestContext);
        return merged;
    }

    private static String withQuery(String path, RequestOptions o) {
        if (o.query == null) {
            return path;
        }
        return path + (path.indexOf('?') < 0 ? '?' : '&') + o.query;
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
                startMillis, response.url(), context, user, trace));
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

    private HttpResponse execute(String method, Target target, String pathAndQuery, String fullUrl,
                                 RequestOptions o, long start) throws IOException {
        String currentMethod = method;
        byte[] body = o.body;
        for (int redirects = 0; ; redirects++) {
            HttpResponse r = exchange(currentMethod, target, pathAndQuery, fullUrl, o, body, start);
            if (o.allowRedirects && isRedirect(r.status()) && redirects < MAX_REDIRECTS) {
                String location = r.header("location");
                if (location != null) {
                    URI next = URI.create(fullUrl).resolve(location);
                    Target from = target;
                    target = Target.parse(next.toString());
                    // as Python's requests: the URL's credentials go along while host, port and scheme stay
                    if (target.authorization == null && from.authorization != null && target.host.equals(from.host)
                            && target.port == from.port && target.tls == from.tls) {
                        target = target.withAuthorization(from.authorization);
                    }
                    pathAndQuery = target.path;
                    fullUrl = next.toString();
                    // as browsers and Python's requests do: 303 turns anything but HEAD into GET, 301/302 only POST
                    if (r.status() == 303 && !"HEAD".equals(currentMethod)
                            || (r.status() == 301 || r.status() == 302) && "POST".equals(currentMethod)) {
                        currentMethod = "GET";
                        body = null;
                    }
                    continue;
                }
            }
            return r;
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private HttpResponse exchange(String method, Target target, String pathAndQuery, String fullUrl,
                                  RequestOptions o, byte[] body, long start) throws IOException {
        Http1Connection c = connection(target);
        for (int attempt = 0; ; attempt++) {
            boolean reused = c.isOpen() && c.isReused();
            try {
                if (!c.isOpen()) {
                    c.open(connectTimeoutMillis, readTimeoutMillis, tlsFactory());
                }
                if (o.timeout != null) {
                    c.setReadTimeout((int) o.timeout.toMillis());
                }
                writeHead(c.head, method, target, pathAndQuery, o, body);
                c.send(body, body == null ? 0 : body.length);
                if (!c.awaitResponse()) {
                    throw new StaleConnection();
                }
                HttpResponse r = readResponse(c, method, target, fullUrl, start);
                if (o.timeout != null && c.isOpen()) {
                    c.setReadTimeout(readTimeoutMillis);
                }
                return r;
            } catch (StaleConnection | java.net.SocketException e) {
                c.close();
                // a keep-alive connection the server closed meanwhile: retry once on a fresh one
                if (!reused || attempt > 0 || user.isKilled()) {
                    if (e instanceof StaleConnection) {
                        throw new java.net.SocketException("Connection closed by server before response");
                    }
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
    }

    private static final class StaleConnection extends IOException {
        StaleConnection() {
            super(null, null);
        }
    }

    /**
     * Headers from the tracer: text ones join the request's options; a traceparent is kept as its
     * ids and written into the request head without a String.
     */
    private final class TraceHeaders implements RequestTracer.HeaderSink {
        boolean traceparent;
        private boolean sampled;
        private long traceIdHigh;
        private long traceIdLow;
        private long parentSpanId;

        @Override
        public void set(String name, String value) {
            options.header(name, value);
        }

        @Override
        public void traceparent(long traceIdHigh, long traceIdLow, long parentSpanId, boolean sampled) {
            this.traceIdHigh = traceIdHigh;
            this.traceIdLow = traceIdLow;
            this.parentSpanId = parentSpanId;
            this.sampled = sampled;
            traceparent = true;
        }

        void writeTo(ByteSink h) {
            if (traceparent) {
                h.writeAscii("traceparent: ");
                RequestTracer.HeaderSink.writeTraceparent(h.array(), h.extend(TRACEPARENT_LENGTH),
                        traceIdHigh, traceIdLow, parentSpanId, sampled);
                h.crlf();
            }
        }
    }

    private void writeHead(ByteSink h, String method, Target target, String pathAndQuery, RequestOptions o, byte[] body) {
        h.reset();
        h.writeAscii(method);
        h.writeByte(' ');
        h.writeAscii(pathAndQuery);
        h.writeAscii(" HTTP/1.1\r\nHost: ");
        h.writeAscii(target.hostHeader);
        h.crlf();
        boolean userAgent = false;
        boolean accept = false;
        boolean authorization = false;
        for (int i = 0; i < o.headerNames.size(); i++) {
            String n = o.headerNames.get(i);
            userAgent |= n.equalsIgnoreCase("user-agent");
            accept |= n.equalsIgnoreCase("accept");
            authorization |= n.equalsIgnoreCase("authorization");
            h.writeAscii(n);
            h.writeAscii(": ");
            h.writeAscii(o.headerValues.get(i));
            h.crlf();
        }
        traceHeaders.writeTo(h);
        if (!userAgent) {
            h.writeAscii("User-Agent: " + USER_AGENT + "\r\n");
        }
        if (!accept) {
            h.writeAscii("Accept: */*\r\n");
        }
        if (!authorization && target.authorization != null) {
            h.writeAscii(target.authorization);
            h.crlf();
        }
        String cookie = cookies.headerFor(target.host);
        if (cookie != null) {
            h.writeAscii("Cookie: ");
            h.writeAscii(cookie);
            h.crlf();
        }
        if (body != null) {
            if (o.contentType != null) {
                h.writeAscii("Content-Type: ");
                h.writeAscii(o.contentType);
                h.crlf();
            }
            h.writeAscii("Content-Length: ");
            h.writeInt(body.length);
            h.crlf();
        } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            h.writeAscii("Content-Length: 0\r\n");
        }
        h.crlf();
    }

    private HttpResponse readResponse(Http1Connection c, String method, Target target, String fullUrl, long start) throws IOException {
        int status;
        long contentLength;
        boolean chunkedBody;
        boolean close;
        do {
            headBlock.reset();
            if (!c.readLine(line)) {
                throw new java.net.SocketException("Connection closed by server before response");
            }
            byte[] l = line.array();
            if (line.length() < 12 || l[0] != 'H' || l[4] != '/') {
                throw new IOException("malformed HTTP status line: " + line.latin1(0, Math.min(line.length(), 80)));
            }
            status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
            boolean http10 = l[7] == '0';
            headBlock.write(l, 0, line.length());
            headBlock.crlf();
            contentLength = -1;
            chunkedBody = false;
            close = http10;
            while (true) {
                if (!c.readLine(line)) {
                    throw new IOException("connection closed in the middle of response headers");
                }
                int n = line.length();
                if (n == 0) {
                    break;
                }
                byte[] b = line.array();
                headBlock.write(b, 0, n);
                headBlock.crlf();
                int colon = indexOf(b, n, (byte) ':');
                if (colon <= 0) {
                    continue;
                }
                if (nameIs(b, colon, "content-length")) {
                    contentLength = parseLong(b, colon + 1, n);
                } else if (nameIs(b, colon, "transfer-encoding")) {
                    chunkedBody = containsIgnoreCase(b, colon + 1, n, "chunked");
                } else if (nameIs(b, colon, "connection")) {
                    if (containsIgnoreCase(b, colon + 1, n, "close")) {
                        close = true;
                    } else if (containsIgnoreCase(b, colon + 1, n, "keep-alive")) {
                        close = false;
                    }
                } else if (nameIs(b, colon, "set-cookie")) {
                    cookies.store(target.host, line.latin1(colon + 1, n).trim());
                }
            }
        } while (status >= 100 && status < 200 && status != 101);

        byte[] body;
        if ("HEAD".equals(method) || status == 204 || status == 304) {
            body = null;
        } else if (chunkedBody) {
            body = readChunked(c);
        } else if (contentLength >= 0) {
            if (contentLength > Integer.MAX_VALUE - 16) {
                throw new IOException("response body too large: " + contentLength + " bytes");
            }
            body = new byte[(int) contentLength];
            c.readFully(body, 0, (int) contentLength);
        } else {
            chunked.reset();
            c.readToEnd(chunked);
            body = chunked.toByteArray();
            close = true;
        }
        c.served();
        double elapsed = (System.nanoTime() - start) / 1e6;
        HttpResponse response = new HttpResponse(status, headBlock.toByteArray(), body, fullUrl, elapsed, null);
        if (close) {
            c.close();
            // a user without an open connection keeps no buffers while it waits
            line.release();
            headBlock.release();
            chunked.release();
        }
        return response;
    }

    private byte[] readChunked(Http1Connection c) throws IOException {
        chunked.reset();
        byte[] tmp = null;
        while (true) {
            if (!c.readLine(line)) {
                throw new IOException("connection closed in a chunked body");
            }
            long size = 0;
            byte[] b = line.array();
            for (int i = 0; i < line.length(); i++) {
                int d = Character.digit(b[i], 16);
                if (d < 0) {
                    break;
                }
                size = size * 16 + d;
            }
            if (size == 0) {
                while (c.readLine(line) && line.length() > 0) {
                    // trailers are ignored
                }
                return chunked.toByteArray();
            }
            if (tmp == null || tmp.length < size) {
                tmp = new byte[(int) Math.max(size, 8192)];
            }
            c.readFully(tmp, 0, (int) size);
            chunked.write(tmp, 0, (int) size);
            c.readLine(line);
        }
    }

    private static int indexOf(byte[] b, int n, byte v) {
        for (int i = 0; i < n; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static boolean nameIs(byte[] b, int nameEnd, String lower) {
        if (nameEnd != lower.length()) {
            return false;
        }
        for (int i = 0; i < nameEnd; i++) {
            int c = b[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long parseLong(byte[] b, int from, int to) {
        long v = 0;
        boolean any = false;
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
                any = true;
            } else if (any) {
                break;
            }
        }
        return any ? v : -1;
    }

    private static boolean containsIgnoreCase(byte[] b, int from, int to, String lower) {
        outer:
        for (int i = from; i + lower.length() <= to; i++) {
            for (int j = 0; j < lower.length(); j++) {
                int c = b[i + j];
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != lower.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private Http1Connection connection(Target t) {
        for (Http1Connection c : connections) {
            if (c.matches(t.host, t.port, t.tls)) {
                return c;
            }
        }
        Http1Connection c = new Http1Connection(t.host, t.port, t.tls);
        Http1Connection[] grown = java.util.Arrays.copyOf(connections, connections.length + 1);
        grown[connections.length] = c;
        connections = grown;
        return c;
    }

    private Target base() {
        String host = user.host();
        if (host == null || host.isEmpty()) {
            throw new IllegalStateException("no host: pass -H/--host or put @Host on " + user.getClass().getSimpleName());
        }
        if (!host.equals(baseFor)) {
            base = Target.parse(host.endsWith("/") ? host.substring(0, host.length() - 1) : host);
            baseFor = host;
        }
        return base;
    }

    private SSLSocketFactory tlsFactory() {
        if (tlsFactory == null) {
            tlsFactory = verifyTls ? (SSLSocketFactory) SSLSocketFactory.getDefault() : trustAll();
        }
        return tlsFactory;
    }

    private static SSLSocketFactory trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            return ctx.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes this user's connections. */
    @Override
    public void close() {
        if (open != null) {
            finish(null, open);
        }
        for (Http1Connection c : connections) {
            c.close();
        }
    }

    /** A parsed base URL. */
    static final class Target {
        final String origin;
        final String host;
        final int port;
        final boolean tls;
        final String hostHeader;
        final String path;
        /** {@code Authorization: Basic ...} from the URL's {@code user:password@}, as Python's requests sends it; or null. */
        final String authorization;

        private Target(String origin, String host, int port, boolean tls, String hostHeader, String path, String authorization) {
            this.origin = origin;
            this.host = host;
            this.port = port;
            this.tls = tls;
            this.hostHeader = hostHeader;
            this.path = path;
            this.authorization = authorization;
        }

        Target withAuthorization(String header) {
            return new Target(origin, host, port, tls, hostHeader, path, header);
        }

        static Target parse(String url) {
            URI uri;
            String shown = io.locusttelemetry.engine.UrlRedaction.redact(url);
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid URL " + shown + ": "
                        + io.locusttelemetry.engine.UrlRedaction.redact(e.getMessage()), e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("invalid URL " + shown + ": only http:// and https:// are supported");
            }
            String host = uri.getHost();
            if (host == null) {
                throw new IllegalArgumentException("invalid URL " + shown + ": no host");
            }
            boolean tls = scheme.equals("https");
            int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80);
            String hostHeader = uri.getPort() > 0 ? uri.getRawAuthority() : host;
            if (hostHeader.contains("@")) {
                hostHeader = hostHeader.substring(hostHeader.indexOf('@') + 1);
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path = path + "?" + uri.getRawQuery();
            }
            String origin = scheme + "://" + hostHeader;
            String authorization = uri.getUserInfo() == null ? null : "Authorization: Basic " + java.util.Base64.getEncoder()
                    .encodeToString((uri.getUserInfo().contains(":") ? uri.getUserInfo() : uri.getUserInfo() + ":")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new Target(origin, host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port, tls, hostHeader, path,
                    authorization);
        }
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
