package io.locusttelemetry.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * Who may do what: with {@code --web-login} every route needs HTTP basic credentials (compared in
 * constant time); state-changing routes refuse requests a browser sends on another site's behalf
 * ({@code Origin} not this server's, or {@code Sec-Fetch-Site} cross-site or same-site), so a page
 * elsewhere cannot start or stop a test, even through an {@code <img>} on Locust's {@code GET /stop}.
 * Requests without these headers (curl, scripts) pass, as they do against Locust.
 */
public final class Guard {
    private final byte[] expected;

    /** @param login {@code user:password}, or null for no login */
    public Guard(String login) {
        this.expected = login == null ? null : login.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a request with this {@code Authorization} header may see anything. */
    public boolean authorized(String authorization) {
        if (expected == null) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, expected);
    }

    /**
     * Why a state-changing request is refused, or null when it may go on.
     *
     * @param ownOrigin this server's origin as the request reached it, e.g. {@code http://127.0.0.1:8089}
     */
    public static String crossSite(String origin, String fetchSite, String ownOrigin) {
        if (fetchSite != null) {
            String site = fetchSite.trim().toLowerCase(Locale.ROOT);
            if (site.equals("cross-site") || site.equals("same-site")) {
                return "refused: the request came from another site (Sec-Fetch-Site: " + site + ")";
            }
        }
        if (origin != null && !origin.equalsIgnoreCase(ownOrigin)) {
            return "refused: the request came from another origin";
        }
        return null;
    }
}
