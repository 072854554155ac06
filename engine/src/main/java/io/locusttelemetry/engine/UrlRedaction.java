package io.locusttelemetry.engine;

/**
 * Hides the credentials of a URL ({@code http://user:password@host} becomes
 * {@code http://***@host}) wherever a URL is shown or sent: reports, logs, telemetry records and
 * attributes. The requests themselves still use the credentials. One home for the rule, so that
 * every place hides the same part.
 */
public final class UrlRedaction {
    /** What replaces the {@code user:password} part. */
    public static final String MASK = "***";

    private UrlRedaction() {}

    /** The URL with its {@code user:password@} part shown as {@code ***@}; null stays null. */
    public static String redact(String url) {
        return redact(url, MASK);
    }

    /**
     * The URL with its {@code user:password} part replaced by {@code replacement} (OpenTelemetry's
     * {@code url.full} wants {@code REDACTED:REDACTED}). A URL without a scheme ({@code user@host:port})
     * is read as an authority.
     */
    public static String redact(String url, String replacement) {
        if (url == null) {
            return null;
        }
        int start = authorityStart(url);
        int at = userInfoEnd(url, start);
        return at < 0 ? url : url.substring(0, start) + replacement + url.substring(at);
    }

    /** Whether the URL carries a {@code user[:password]@} part. */
    public static boolean hasUserInfo(String url) {
        return url != null && userInfoEnd(url, authorityStart(url)) >= 0;
    }

    private static int authorityStart(String url) {
        int sep = url.indexOf("://");
        if (sep <= 0) {
            return 0;
        }
        for (int i = 0; i < sep; i++) {
            char c = url.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.');
            if (!ok) {
                return 0;
            }
        }
        return sep + 3;
    }

    /** Index of the last {@code @} of the authority (the one that ends the user info), or -1. */
    private static int userInfoEnd(String url, int start) {
        int at = -1;
        for (int i = start; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                break;
            }
            if (c == '@') {
                at = i;
            }
        }
        return at;
    }
}
