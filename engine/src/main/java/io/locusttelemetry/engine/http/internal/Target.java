package io.locusttelemetry.engine.http.internal;

import io.locusttelemetry.engine.UrlRedaction;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** A parsed absolute http(s) URL: where to connect, what to send as {@code Host}, and its path. */
public final class Target {
    private final String origin;
    private final String host;
    private final int port;
    private final boolean tls;
    private final String hostHeader;
    private final String path;
    /** {@code Authorization: Basic ...} from the URL's {@code user:password@}, as Python's requests sends it; or null. */
    private final String authorization;

    private Target(String origin, String host, int port, boolean tls, String hostHeader, String path, String authorization) {
        this.origin = origin;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.hostHeader = hostHeader;
        this.path = path;
        this.authorization = authorization;
    }

    /** Parses {@code url}; throws IllegalArgumentException naming it when it is not an http(s) URL with a host. */
    public static Target parse(String url) {
        String shown = UrlRedaction.redact(url);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid URL " + shown + ": " + UrlRedaction.redact(e.getMessage()), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
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
        String userInfo = uri.getUserInfo();
        String authorization = userInfo == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((userInfo.contains(":") ? userInfo : userInfo + ":").getBytes(StandardCharsets.UTF_8));
        return new Target(origin, host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port, tls, hostHeader, path,
                authorization);
    }

    /**
     * This target carrying {@code from}'s credentials when it has none of its own and has the same
     * scheme, host and port (a redirect within the same server keeps them, as Python's requests does).
     */
    Target withCredentialsOf(Target from) {
        if (authorization != null || from.authorization == null || !host.equals(from.host) || port != from.port || tls != from.tls) {
            return this;
        }
        return new Target(origin, host, port, tls, hostHeader, path, from.authorization);
    }

    /** The {@code Authorization} header's value for the URL's credentials ({@code Basic ...}), or null. */
    String authorization() {
        return authorization;
    }

    /** {@code scheme://authority}, without a trailing slash. */
    public String origin() {
        return origin;
    }

    /** The host to connect to (an IPv6 address without brackets). */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean tls() {
        return tls;
    }

    /** The value of the {@code Host} header. */
    public String hostHeader() {
        return hostHeader;
    }

    /** The path and query, {@code /} at least. */
    public String path() {
        return path;
    }
}
