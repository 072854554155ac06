package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.UrlRedaction;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host, port and the URL without credentials, as the semantic conventions want {@code url.full},
 * {@code server.address} and {@code server.port}. Parsed once per URL: a load test requests the
 * same few URLs, and each parse is a dozen substrings.
 *
 * @param redacted the URL with any {@code user:password@} replaced
 * @param host     the host, or null
 * @param port     the port (the scheme's default when none is given), or -1
 */
record UrlParts(String redacted, String host, int port) {
    private static final int MAX_CACHED = 10_000;
    private static final ConcurrentHashMap<String, UrlParts> CACHE = new ConcurrentHashMap<>();

    /** The parts of {@code url}, from the cache when it was seen before. */
    static UrlParts of(String url) {
        UrlParts cached = CACHE.get(url);
        if (cached != null) {
            return cached;
        }
        UrlParts parsed = parse(url);
        if (CACHE.size() < MAX_CACHED) {
            CACHE.putIfAbsent(url, parsed);
        }
        return parsed;
    }

    static UrlParts parse(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return new UrlParts(url, null, -1);
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        int start = schemeEnd + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String authority = url.substring(start, end);
        // the semantic conventions' form of a URL without its credentials
        String redacted = UrlRedaction.redact(url, "REDACTED:REDACTED");
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        String host;
        int port = -1;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close > 0 ? authority.substring(1, close) : authority;
            if (close > 0 && close + 1 < authority.length() && authority.charAt(close + 1) == ':') {
                port = parsePort(authority.substring(close + 2));
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            if (colon >= 0) {
                port = parsePort(authority.substring(colon + 1));
            }
        }
        if (port < 0) {
            port = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        }
        return new UrlParts(redacted, host.isEmpty() ? null : host, port);
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
