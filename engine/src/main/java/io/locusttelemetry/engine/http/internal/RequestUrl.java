package io.locusttelemetry.engine.http.internal;

import io.locusttelemetry.engine.User;
import java.net.URI;

/**
 * The URL of a session's current request: an absolute URL, or a path resolved against the
 * user's host, with the query of the request's options joined on; redirects move it. One per
 * session, reused: the parsed host and the last relative URL are kept, so the usual request
 * (a constant path, no query) builds no string.
 */
public final class RequestUrl {
    private String baseFor;
    private Target base;
    private String lastPath;
    private String lastUrl;

    private Target target;
    private String pathAndQuery;
    private String fullUrl;

    /**
     * Resolves {@code url} for {@code user}'s next request.
     *
     * @param query URL-encoded parameters to join on, or null
     * @throws IllegalArgumentException for an invalid absolute URL or host
     * @throws IllegalStateException for a relative URL when the user has no host
     */
    public void resolve(String url, CharSequence query, User user) {
        if (url.startsWith("http://") || url.startsWith("https://")) {
            target = Target.parse(url);
            pathAndQuery = withQuery(target.path(), query);
            fullUrl = target.origin() + pathAndQuery;
            return;
        }
        target = base(user);
        if (!url.startsWith("/")) {
            url = "/" + url;
        }
        pathAndQuery = withQuery(target.path().equals("/") ? url : target.path() + url, query);
        if (query == null && url == lastPath) {
            fullUrl = lastUrl;
        } else {
            fullUrl = target.origin() + pathAndQuery;
            if (query == null) {
                lastPath = url;
                lastUrl = fullUrl;
            }
        }
    }

    /** Moves to the URL of a redirect's {@code Location}, resolved against the current URL. */
    public void redirect(String location) {
        URI next = URI.create(fullUrl).resolve(location);
        String url = next.toString();
        target = Target.parse(url).withCredentialsOf(target);
        pathAndQuery = target.path();
        fullUrl = url;
    }

    public Target target() {
        return target;
    }

    /** What the request line asks for. */
    public String pathAndQuery() {
        return pathAndQuery;
    }

    /** The whole URL, as reported. */
    public String fullUrl() {
        return fullUrl;
    }

    private Target base(User user) {
        String host = user.host();
        if (host == null || host.isEmpty()) {
            throw new IllegalStateException("no host: pass -H/--host or put @Host on " + user.getClass().getSimpleName());
        }
        if (!host.equals(baseFor)) {
            base = Target.parse(host.endsWith("/") ? host.substring(0, host.length() - 1) : host);
            baseFor = host;
        }
        return base;
    }

    private static String withQuery(String path, CharSequence query) {
        if (query == null) {
            return path;
        }
        return path + (path.indexOf('?') < 0 ? '?' : '&') + query;
    }
}
