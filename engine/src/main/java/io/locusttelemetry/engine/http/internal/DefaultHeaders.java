package io.locusttelemetry.engine.http.internal;

/**
 * What a request adds to its user's own headers, decided here for HTTP/1.1 ({@link RequestHead})
 * and HTTP/2 ({@link ProtocolExchange}) alike, so both send the same request: a {@code User-Agent}
 * and an {@code Accept} unless the user set them, the URL's credentials as {@code Authorization}
 * unless the user set one, and {@code Content-Length: 0} for a POST, PUT or PATCH without a body.
 * Each protocol writes them in its own framing.
 *
 * <p>The user's headers are noted one by one into an {@code int} of bits while the caller walks
 * them anyway: one pass, nothing allocated.
 */
final class DefaultHeaders {
    static final String USER_AGENT = "jlocust/0.1";
    static final String ACCEPT = "*/*";

    private static final int USER_AGENT_SET = 1;
    private static final int ACCEPT_SET = 2;
    private static final int AUTHORIZATION_SET = 4;

    private DefaultHeaders() {}

    /** {@code seen} with the user's header {@code name} noted. Start from 0. */
    static int note(int seen, String name) {
        if (name.equalsIgnoreCase("user-agent")) {
            return seen | USER_AGENT_SET;
        }
        if (name.equalsIgnoreCase("accept")) {
            return seen | ACCEPT_SET;
        }
        if (name.equalsIgnoreCase("authorization")) {
            return seen | AUTHORIZATION_SET;
        }
        return seen;
    }

    static boolean addsUserAgent(int seen) {
        return (seen & USER_AGENT_SET) == 0;
    }

    static boolean addsAccept(int seen) {
        return (seen & ACCEPT_SET) == 0;
    }

    /** The {@code Authorization} value from the URL's credentials to add, or null. */
    static String authorization(int seen, Target target) {
        return (seen & AUTHORIZATION_SET) == 0 ? target.authorization() : null;
    }

    /** Whether a request without a body still says {@code Content-Length: 0}, as servers expect of these methods. */
    static boolean sendsEmptyLength(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }
}
