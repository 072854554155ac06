package io.locusttelemetry.engine.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The cookies of one user, kept as a browser keeps them per host (expiry and path are simplified). */
public final class CookieJar {
    private record Cookie(String host, String name, String value) {}

    private final List<Cookie> cookies = new ArrayList<>(2);

    /** Stores a {@code Set-Cookie} header received from {@code host}. */
    void store(String host, String setCookie) {
        int semi = setCookie.indexOf(';');
        String pair = semi < 0 ? setCookie : setCookie.substring(0, semi);
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            return;
        }
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        String domain = host;
        boolean delete = false;
        if (semi >= 0) {
            for (String attr : setCookie.substring(semi + 1).split(";")) {
                String a = attr.trim().toLowerCase(Locale.ROOT);
                if (a.startsWith("domain=")) {
                    domain = a.substring(7).replaceFirst("^\\.", "");
                } else if (a.equals("max-age=0") || a.startsWith("max-age=-")) {
                    delete = true;
                }
            }
        }
        final String d = domain;
        cookies.removeIf(c -> c.name.equals(name) && c.host.equals(d));
        if (!delete) {
            cookies.add(new Cookie(d, name, value));
        }
    }

    /** The {@code Cookie} header value for {@code host}, or null when there is none. */
    String headerFor(String host) {
        if (cookies.isEmpty()) {
            return null;
        }
        StringBuilder sb = null;
        for (Cookie c : cookies) {
            if (host.equals(c.host) || host.endsWith("." + c.host)) {
                if (sb == null) {
                    sb = new StringBuilder();
                } else {
                    sb.append("; ");
                }
                sb.append(c.name).append('=').append(c.value);
            }
        }
        return sb == null ? null : sb.toString();
    }

    /** Sets a cookie for {@code host} by hand. */
    public void set(String host, String name, String value) {
        cookies.removeIf(c -> c.name.equals(name) && c.host.equals(host));
        cookies.add(new Cookie(host, name, value));
    }

    /** The value of cookie {@code name} for any host, or null. */
    public String get(String name) {
        for (Cookie c : cookies) {
            if (c.name.equals(name)) {
                return c.value;
            }
        }
        return null;
    }

    public void clear() {
        cookies.clear();
    }
}
