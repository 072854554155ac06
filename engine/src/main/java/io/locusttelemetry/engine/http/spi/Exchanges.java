package io.locusttelemetry.engine.http.spi;

import io.locusttelemetry.engine.http.internal.Sizes;
import java.net.ProtocolException;

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

    /** The largest response head the session accepts, in bytes: 1 MiB, for every protocol. */
    public static final int MAX_HEAD = 1024 * 1024;
}
