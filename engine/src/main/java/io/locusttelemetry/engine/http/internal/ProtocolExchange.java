package io.locusttelemetry.engine.http.internal;

import io.locusttelemetry.engine.http.spi.ExchangeRequest;
import io.locusttelemetry.engine.http.spi.ExchangeResponse;
import io.locusttelemetry.engine.http.spi.Exchanges;
import io.locusttelemetry.engine.http.spi.HttpExchanger;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A session's requests over another protocol's {@link HttpExchanger} (HTTP/2): the request as the
 * exchanger reads it, with the same headers the HTTP/1.1 head would carry, and its response turned
 * into what the session keeps of an HTTP/1.1 one (a head of text lines, a body), after the same
 * checks. One per session, reused.
 */
final class ProtocolExchange implements ExchangeRequest, ExchangeResponse {
    private final HttpExchanger exchanger;
    private final ArrayList<String> names = new ArrayList<>();
    private final ArrayList<String> values = new ArrayList<>();
    private final ByteSink head = new ByteSink(512, true);

    private Target target;
    private String authority;
    private String method;
    private String path;
    private byte[] body;
    private boolean verifyTls;
    private int connectTimeoutMillis;
    private int readTimeoutMillis;
    private long deadlineNanos;
    private long maxBody;

    private Http1Client.Cookies cookies;
    private boolean redirect;
    int status;
    String location;
    byte[] responseBody;

    ProtocolExchange(HttpExchanger exchanger) {
        this.exchanger = exchanger;
    }

    /** The absolute deadline of the request now running, or 0 for none. */
    void deadline(long nanos) {
        deadlineNanos = nanos;
    }

    /**
     * Sends one request and reads its response into {@link #status}, {@link #takeHead}, {@link #responseBody}
     * and {@link #location}.
     *
     * @return when the response's last byte had arrived ({@link System#nanoTime()})
     */
    long exchange(String method, Target target, String pathAndQuery, List<String> userNames, List<String> userValues,
                  TraceHeaders trace, Http1Client.Cookies cookies, String contentType, byte[] body, boolean verifyTls,
                  int connectTimeoutMillis, int readTimeoutMillis, long maxBody) throws IOException {
        this.method = method;
        this.target = target;
        this.path = pathAndQuery;
        this.body = body;
        this.verifyTls = verifyTls;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.maxBody = maxBody;
        this.cookies = cookies;
        headers(userNames, userValues, trace, cookies.headerFor(target.host()), contentType);
        status = 0;
        location = null;
        responseBody = null;
        head.reset();
        return exchanger.exchange(this, this);
    }

    /** The request's headers as {@link RequestHead} writes them for HTTP/1.1, less what HTTP/2 forbids. */
    private void headers(List<String> userNames, List<String> userValues, TraceHeaders trace, String cookie,
                         String contentType) {
        names.clear();
        values.clear();
        authority = target.hostHeader();
        int seen = 0;
        for (int i = 0; i < userNames.size(); i++) {
            String n = userNames.get(i);
            String v = userValues.get(i);
            if (n.equalsIgnoreCase("host")) {
                // HTTP/2 carries the host as the :authority pseudo-header
                authority = v;
                continue;
            }
            if (isConnectionSpecific(n) || n.equalsIgnoreCase("content-length")) {
                // the session sets the body's length itself, as for HTTP/1.1
                continue;
            }
            seen = DefaultHeaders.note(seen, n);
            add(n, v);
        }
        String traceparent = trace.traceparentValue();
        if (traceparent != null) {
            add("traceparent", traceparent);
        }
        String authorization = DefaultHeaders.authorization(seen, target);
        if (authorization != null) {
            add("Authorization", authorization);
        }
        if (DefaultHeaders.addsUserAgent(seen)) {
            add("User-Agent", DefaultHeaders.USER_AGENT);
        }
        if (DefaultHeaders.addsAccept(seen)) {
            add("Accept", DefaultHeaders.ACCEPT);
        }
        if (cookie != null) {
            add("Cookie", cookie);
        }
        if (body != null) {
            if (contentType != null) {
                add("Content-Type", contentType);
            }
            add("Content-Length", Integer.toString(body.length));
        } else if (DefaultHeaders.sendsEmptyLength(method)) {
            add("Content-Length", "0");
        }
    }

    /** The headers RFC 9113 8.2.2 forbids in HTTP/2: they name the HTTP/1.1 connection, which HTTP/2 has not. */
    static boolean isConnectionSpecific(String name) {
        return name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive")
                || name.equalsIgnoreCase("proxy-connection") || name.equalsIgnoreCase("transfer-encoding")
                || name.equalsIgnoreCase("upgrade");
    }

    private void add(String name, String value) {
        names.add(name);
        values.add(value);
    }

    /** The response's head as HTTP/1.1 text ({@code HTTP/2 200 OK} and header lines), handed over. */
    byte[] takeHead() {
        return head.toByteArray();
    }

    /** Closes this session's connections of the protocol. */
    void close() {
        exchanger.close();
    }

    // --- ExchangeResponse: what the server sent, checked as the HTTP/1.1 reader checks it

    @Override
    public void status(int status, String reason) throws IOException {
        if (status < 100 || status > 999) {
            throw new ProtocolException("malformed HTTP/2 status: " + status);
        }
        this.status = status;
        redirect = Http1Client.isRedirect(status);
        head.writeAscii("HTTP/2 ");
        head.writeInt(status);
        head.writeByte(' ');
        String r = reason == null ? "" : reason;
        if (!HeaderSyntax.isFieldValue(r)) {
            r = "";
        }
        writeLatin1(r);
        head.crlf();
    }

    @Override
    public void header(String name, String value) throws IOException {
        if (!HeaderSyntax.isToken(name)) {
            throw new ProtocolException("malformed HTTP header name: " + quote(name));
        }
        if (!HeaderSyntax.isFieldValue(value)) {
            throw new ProtocolException("malformed HTTP header " + quote(name) + ": control characters in its value");
        }
        if (head.length() + name.length() + value.length() + 4 > Exchanges.MAX_HEAD) {
            throw Exchanges.headOverLimit(Exchanges.MAX_HEAD);
        }
        writeLatin1(name);
        head.writeAscii(": ");
        writeLatin1(value);
        head.crlf();
        if (name.equalsIgnoreCase("set-cookie")) {
            cookies.store(target.host(), value.trim());
        } else if (redirect && location == null && name.equalsIgnoreCase("location")) {
            location = value.trim();
        }
    }

    @Override
    public void body(byte[] body, int length) {
        if (body == null || length == 0) {
            responseBody = null;
        } else {
            responseBody = length == body.length ? body : java.util.Arrays.copyOf(body, length);
        }
    }

    private void writeLatin1(String s) {
        int at = head.extend(s.length());
        byte[] a = head.array();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            a[at + i] = c <= 0xFF ? (byte) c : (byte) '?';
        }
    }

    private static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c < ' ' || c == 0x7F) {
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    // --- ExchangeRequest

    @Override
    public boolean tls() {
        return target.tls();
    }

    @Override
    public String host() {
        return target.host();
    }

    @Override
    public int port() {
        return target.port();
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public int headerCount() {
        return names.size();
    }

    @Override
    public String headerName(int index) {
        return names.get(index);
    }

    @Override
    public String headerValue(int index) {
        return values.get(index);
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public boolean verifyTls() {
        return verifyTls;
    }

    @Override
    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    @Override
    public int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    @Override
    public long deadlineNanos() {
        return deadlineNanos;
    }

    @Override
    public long maxBodySize() {
        return maxBody;
    }
}
