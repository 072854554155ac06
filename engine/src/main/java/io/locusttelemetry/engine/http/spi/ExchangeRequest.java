package io.locusttelemetry.engine.http.spi;

/**
 * One request as the session has prepared it: where to, the method, the path, every header (the
 * user's, the trace's, cookies, defaults) and the limits. The session reuses one instance per user:
 * read it during {@link HttpExchanger#exchange} only.
 */
public interface ExchangeRequest {
    /** Whether the connection is TLS (an {@code https} URL). */
    boolean tls();

    /** The host to connect to (an IPv6 address without brackets). */
    String host();

    int port();

    /** The request's authority ({@code :authority}, what HTTP/1.1 sends as {@code Host}). */
    String authority();

    String method();

    /** The path and query, {@code /} at least. */
    String path();

    /** How many headers follow; names as the user wrote them (a protocol that needs lower case lowers them). */
    int headerCount();

    String headerName(int index);

    String headerValue(int index);

    /** The body, or null for none. */
    byte[] body();

    /** Whether to check the server's certificate and name. */
    boolean verifyTls();

    /** How long a connect may take, in milliseconds (0: no limit). */
    int connectTimeoutMillis();

    /** How long the response may stay silent between two frames, in milliseconds (0: no limit). */
    int readTimeoutMillis();

    /** The {@link System#nanoTime()} by which the whole request must be done, or 0 for no limit. */
    long deadlineNanos();

    /** The largest response body to accept, in bytes: more fails the request with {@link Exchanges#bodyOverLimit}. */
    long maxBodySize();
}
