package io.locusttelemetry.engine.http.spi;

import io.locusttelemetry.engine.http.internal.Sizes;
import java.net.ProtocolException;
import javax.net.ssl.SSLHandshakeException;

/** The failures every protocol reports in the same words, so a report reads the same whatever the protocol. */
public final class Exchanges {
    private Exchanges() {}

    /** A response body over the session's limit. */
    public static ProtocolException bodyOverLimit(long maxBody) {
        return new ProtocolException("response body over the " + Sizes.describe(maxBody) + " limit (--max-body-size)");
    }

    /** A response head (status and headers) over the limit of {@code maxHead} bytes. */
    public static ProtocolException headOverLimit(long maxHead) {
        return new ProtocolException("response head over the " + Sizes.describe(maxHead) + " limit");
    }

    /** A TLS handshake that failed, naming the server and the reason; {@code cause} is kept as the cause. */
    public static SSLHandshakeException handshakeFailed(String host, int port, String reason, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException("TLS handshake with " + host + ":" + port + " failed: " + reason);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The largest response head the session accepts, in bytes: 1 MiB, for every protocol. */
    public static final int MAX_HEAD = 1024 * 1024;
}
