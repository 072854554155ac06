package io.locusttelemetry.engine.http.internal;

import java.net.URI;
import java.util.Locale;

/** A parsed absolute http(s) URL: where to connect, what to send as {@code Host}, and its path. */
public final class Target {
    private final String origin;
    private final String host;
    private final int port;
    private final boolean tls;
    private final String hostHeader;
    private final String path;

    private Target(String origin, String host, int port, boolean tls, String hostHeader, String path) {
        this.origin = origin;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.hostHeader = hostHeader;
        this.path = path;
    }

    /** Parses {@code url}; throws IllegalArgumentException naming it when it is not an http(s) URL with a host. */
    public static Target parse(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid URL " + url + ": " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("invalid URL " + url + ": only http:// and https:// are supported");
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("invalid URL " + url + ": no host");
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
        return new Target(origin, host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port, tls, hostHeader, path);
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
