package io.locusttelemetry.engine.http.internal;

import io.locusttelemetry.engine.http.spi.HttpExchanger;
import io.locusttelemetry.engine.internal.RequestGate;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

/**
 * The exchanges of one user's session: HTTP/1.1 over its keep-alive connections (one per origin, no
 * pool, no locks), with a retry of a request whose kept-alive connection the server had closed, or,
 * once {@link #useProtocol switched}, another protocol's exchanger (HTTP/2); redirects and the total
 * timeout for both. The caller times and reports; this class only talks to servers.
 */
public final class Http1Client {
    private static final int MAX_REDIRECTS = 30;

    static {
        // Loads SocketException's subclasses before C2 compiles the catch in exchange(), which it would otherwise
        // compile as a leaf-type check that a later ConnectException throws away: bench/RESULTS.md, 2026-12-07.
        for (String name : new String[] {"java.net.ConnectException", "java.net.BindException",
                "java.net.NoRouteToHostException", "java.net.PortUnreachableException",
                "sun.net.ConnectionResetException"}) {
            try {
                Class.forName(name, false, Http1Client.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this JDK: nothing to settle
            }
        }
    }

    /** The session's cookie jar, as the client reads and fills it. */
    public interface Cookies {
        /** The {@code Cookie} header value for {@code host}, or null. */
        String headerFor(String host);

        /** Stores a {@code Set-Cookie} value received from {@code host}. */
        void store(String host, String setCookie);
    }

    private final RequestGate gate;
    private final List<String> headerNames;
    private final List<String> headerValues;
    private final Cookies cookies;
    private final TraceHeaders traceHeaders;
    private final RequestUrl url = new RequestUrl();
    private final ResponseReader reader = new ResponseReader();
    private Http1Connection[] connections = new Http1Connection[0];
    /** The other protocol's exchanges once switched to it, else null. */
    private ProtocolExchange protocol;

    private int connectTimeoutMillis = 30_000;
    // no read timeout by default, as Locust's HttpUser: a socket timeout makes every blocking read on a
    // virtual thread a timed park, which measured at about 15 times the context switches per request
    private int readTimeoutMillis = 0;
    private boolean verifyTls = true;
    private long receivedNanos;
    private RequestDeadline deadline;
    /** The running request's total-timeout token, or 0 when it has none. */
    private long deadlineToken;

    /**
     * @param gate         the user's: a request the stop cut is not retried
     * @param headerNames  the list the session keeps its request's header names in, and
     *                     {@code headerValues} their values (a tracer adds to them)
     */
    public Http1Client(RequestGate gate, List<String> headerNames, List<String> headerValues, Cookies cookies) {
        this.gate = gate;
        this.headerNames = headerNames;
        this.headerValues = headerValues;
        this.cookies = cookies;
        this.traceHeaders = new TraceHeaders(headerNames, headerValues);
    }

    /** The current request's URL: resolve it before {@link #execute}. */
    public RequestUrl url() {
        return url;
    }

    /**
     * Loads what the request to {@link #url()} needs before its time is taken: for https, the
     * TLS engine (BoringSSL's native library takes up to seconds to load, once per JVM).
     */
    public void prepare() {
        if (protocol == null && url.target().tls()) {
            Tls.load();
        }
    }

    /** Where a tracer puts its headers for the next request. */
    public TraceHeaders traceHeaders() {
        return traceHeaders;
    }

    public void timeouts(int connectMillis, int readMillis) {
        this.connectTimeoutMillis = connectMillis;
        this.readTimeoutMillis = readMillis;
    }

    public void verifyTls(boolean verify) {
        this.verifyTls = verify;
    }

    /** Sends every later request with {@code exchanger} instead of HTTP/1.1. */
    public void useProtocol(HttpExchanger exchanger) {
        if (protocol != null) {
            protocol.close();
        }
        protocol = new ProtocolExchange(exchanger);
    }

    /** Whether requests go to another protocol's exchanger. */
    public boolean usesProtocol() {
        return protocol != null;
    }

    /** Status of the last response. */
    public int status() {
        return reader.status;
    }

    /** Status line and headers of the last response, handed over: the client keeps no reference. */
    public byte[] takeHead() {
        byte[] head = reader.head;
        reader.head = null;
        return head;
    }

    /** Body of the last response, or null, handed over: the client keeps no reference. */
    public byte[] takeBody() {
        byte[] body = reader.body;
        reader.body = null;
        return body;
    }

    /** {@link System#nanoTime()} when the last response had been read. */
    public long receivedNanos() {
        return receivedNanos;
    }

    /**
     * Sends the request to {@link #url()} and reads its response, following redirects when asked.
     *
     * @param readTimeoutMillis  this request's read timeout, or -1 for the client's
     * @param totalTimeoutNanos  the most the whole request may take, redirects included, or 0 for no limit
     * @param maxBody            the largest response body to accept, in bytes
     */
    public void execute(String method, byte[] body, String contentType, boolean followRedirects, int readTimeoutMillis,
                        long totalTimeoutNanos, long maxBody) throws IOException {
        if (protocol != null) {
            executeOverProtocol(method, body, contentType, followRedirects, readTimeoutMillis, totalTimeoutNanos, maxBody);
            return;
        }
        if (totalTimeoutNanos <= 0) {
            follow(method, body, contentType, followRedirects, readTimeoutMillis, maxBody);
            return;
        }
        if (deadline == null) {
            deadline = new RequestDeadline();
        }
        long token = deadline.arm(totalTimeoutNanos);
        deadlineToken = token;
        try {
            follow(method, body, contentType, followRedirects, readTimeoutMillis, maxBody);
        } catch (IOException | RuntimeException e) {
            deadlineToken = 0;
            if (deadline.disarm(token)) {
                throw e;
            }
            throw timedOut(totalTimeoutNanos, e);
        } catch (Error e) {
            deadlineToken = 0;
            deadline.disarm(token);
            throw e;
        }
        deadlineToken = 0;
        if (!deadline.disarm(token)) {
            // the response came, but after the deadline: the timer has closed its connection's socket
            close(connection(url.target()));
            throw timedOut(totalTimeoutNanos, null);
        }
    }

    /** The same over the other protocol, whose exchanger keeps to the deadline itself. */
    private void executeOverProtocol(String method, byte[] body, String contentType, boolean followRedirects,
                                     int readTimeoutMillis, long totalTimeoutNanos, long maxBody) throws IOException {
        long deadline = totalTimeoutNanos <= 0 ? 0 : (System.nanoTime() + totalTimeoutNanos) | 1;
        protocol.deadline(deadline);
        try {
            follow(method, body, contentType, followRedirects, readTimeoutMillis, maxBody);
        } catch (SocketTimeoutException e) {
            if (deadline != 0 && System.nanoTime() - deadline >= 0) {
                throw timedOut(totalTimeoutNanos, e);
            }
            throw e;
        }
    }

    private static SocketTimeoutException timedOut(long totalTimeoutNanos, Throwable cause) {
        SocketTimeoutException e = new SocketTimeoutException("request took longer than its total timeout of "
                + totalTimeoutNanos / 1_000_000 + " ms (totalTimeout)");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private void follow(String method, byte[] body, String contentType, boolean followRedirects, int readTimeoutMillis,
                        long maxBody) throws IOException {
        for (int redirects = 0; ; redirects++) {
            exchange(method, body, contentType, readTimeoutMillis, maxBody);
            int status = reader.status;
            if (followRedirects && isRedirect(status) && redirects < MAX_REDIRECTS && reader.location != null) {
                url.redirect(reader.location);
                // as browsers and Python's requests do: 303 turns anything but HEAD into GET, 301/302 only POST
                if (status == 303 && !"HEAD".equals(method) || (status == 301 || status == 302) && "POST".equals(method)) {
                    method = "GET";
                    body = null;
                }
                continue;
            }
            return;
        }
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private void exchange(String method, byte[] body, String contentType, int requestReadTimeout, long maxBody)
            throws IOException {
        Target target = url.target();
        if (protocol != null) {
            ProtocolExchange p = protocol;
            long received = p.exchange(method, target, url.pathAndQuery(), headerNames, headerValues, traceHeaders, cookies,
                    contentType, body, verifyTls, connectTimeoutMillis, requestReadTimeout >= 0 ? requestReadTimeout : readTimeoutMillis,
                    maxBody);
            reader.status = p.status;
            reader.head = p.takeHead();
            reader.body = p.responseBody;
            reader.location = p.location;
            receivedNanos = received;
            return;
        }
        Http1Connection c = connection(target);
        long token = deadlineToken;
        RequestDeadline watched = token == 0 ? null : deadline;
        for (int attempt = 0; ; attempt++) {
            boolean reused = c.isOpen() && c.isReused();
            boolean answered = false;
            try {
                if (!c.isOpen()) {
                    c.open(connectTimeoutMillis, readTimeoutMillis, verifyTls, watched, token);
                } else if (watched != null && !watched.watch(c.socket(), token)) {
                    throw new SocketTimeoutException("total timeout reached");
                }
                if (requestReadTimeout >= 0) {
                    c.setReadTimeout(requestReadTimeout);
                }
                boolean closeAfter = RequestHead.write(c.head, method, target, url.pathAndQuery(), headerNames, headerValues, traceHeaders,
                        cookies.headerFor(target.host()), contentType, body);
                c.send(body, body == null ? 0 : body.length);
                if (!c.awaitResponse()) {
                    throw new StaleConnection();
                }
                answered = true;
                reader.read(c, method, target.host(), cookies, maxBody);
                c.served();
                receivedNanos = System.nanoTime();
                if (reader.close || closeAfter) {
                    close(c);
                } else if (requestReadTimeout >= 0) {
                    c.setReadTimeout(readTimeoutMillis);
                }
                return;
            } catch (StaleConnection | SocketException e) {
                close(c);
                // a keep-alive connection the server closed meanwhile: retry once on a fresh one, if
                // nothing of a response had come (else the server may have acted on the request)
                if (!reused || answered || attempt > 0 || gate.isCut() || watched != null && watched.expired(token)) {
                    if (e instanceof StaleConnection) {
                        throw new SocketException("Connection closed by server before response");
                    }
                    throw e;
                }
            } catch (IOException | RuntimeException | Error e) {
                close(c);
                throw e;
            }
        }
    }

    private void close(Http1Connection c) {
        c.close();
        reader.release();
    }

    private static final class StaleConnection extends IOException {
        StaleConnection() {
            super(null, null);
        }
    }

    private Http1Connection connection(Target t) {
        for (Http1Connection c : connections) {
            if (c.matches(t.host(), t.port(), t.tls())) {
                return c;
            }
        }
        Http1Connection c = new Http1Connection(t.host(), t.port(), t.tls());
        Http1Connection[] grown = Arrays.copyOf(connections, connections.length + 1);
        grown[connections.length] = c;
        connections = grown;
        return c;
    }

    /** Closes every connection. */
    public void close() {
        for (Http1Connection c : connections) {
            c.close();
        }
        if (protocol != null) {
            protocol.close();
        }
        reader.release();
    }
}
