package io.locusttelemetry.web;

import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.UrlRedaction;
import io.locusttelemetry.engine.http.HttpSession;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * How the web UI is served, read from the options of {@link WebOptions} and checked up front.
 *
 * @param host             interface to listen on; {@code ""} for all
 * @param port             0 picks a free one
 * @param basePath         {@code ""} or a path starting with {@code /}, without a trailing one
 * @param login            {@code user:password}, or null for none
 * @param tlsCert          PEM certificate file, or null for plain HTTP
 * @param tlsKey           PEM key file, or null
 * @param grafanaUrl       base URL of a Grafana with the shipped dashboards, or null
 * @param traceUrlTemplate a trace viewer's link with {@code {trace_id}}, or null
 */
public record WebSettings(String host, int port, String basePath, String login, Path tlsCert, Path tlsKey, String grafanaUrl,
        String traceUrlTemplate) {

    /** On this machine only, on a free port: for tests and embedding. */
    public static WebSettings loopback() {
        return new WebSettings("127.0.0.1", 0, "", null, null, null, null, null);
    }

    public WebSettings withLogin(String userAndPassword) {
        return new WebSettings(host, port, basePath, userAndPassword, tlsCert, tlsKey, grafanaUrl, traceUrlTemplate);
    }

    public WebSettings withLinks(String grafana, String traceTemplate) {
        return new WebSettings(host, port, basePath, login, tlsCert, tlsKey, grafana, traceTemplate);
    }

    public WebSettings withTls(Path cert, Path key) {
        return new WebSettings(host, port, basePath, login, cert, key, grafanaUrl, traceUrlTemplate);
    }

    /** Whether pages are served over HTTPS. */
    public boolean tls() {
        return tlsCert != null;
    }

    /**
     * Reads and checks the options.
     *
     * @throws IllegalArgumentException one line naming the option and what is wrong
     */
    public static WebSettings from(ParsedOptions o) {
        String host = o.getString("web_host", "*").trim();
        if (host.equals("*") || host.equals("0.0.0.0")) {
            host = "";
        } else if (!host.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,252}|\\[?[0-9A-Fa-f:.]{2,45}]?")) {
            throw new IllegalArgumentException("Invalid --web-host '" + host + "': use an IP address or host name (or * for all interfaces)");
        }
        int port = o.getInt("web_port", WebOptions.DEFAULT_PORT);
        String base = o.getString("web_base_path", "").trim();
        if (!base.isEmpty()) {
            if (!base.matches("(/[A-Za-z0-9._~-]+)+/?")) {
                throw new IllegalArgumentException("Invalid --web-base-path '" + base
                        + "': the path must start with a slash and hold only letters, digits and . _ ~ -, e.g. /locust");
            }
            base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        }
        String login = o.getString("web_login");
        if (login != null && (login.indexOf(':') <= 0 || login.indexOf(':') == login.length() - 1)) {
            throw new IllegalArgumentException("Invalid --web-login: give user:password (a user and a password separated by a colon)");
        }
        Path cert = file(o.getString("tls_cert"), "--tls-cert");
        Path key = file(o.getString("tls_key"), "--tls-key");
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both to serve the web UI over HTTPS");
        }
        String grafana = o.getString("lt_grafana_url");
        if (grafana != null && !HttpSession.isHttpUrl(grafana)) {
            throw new IllegalArgumentException("Invalid --lt-grafana-url '" + UrlRedaction.redact(grafana)
                    + "': use a URL such as http://grafana:3000");
        }
        String traces = o.getString("lt_trace_url_template");
        if (traces != null && (!traces.contains("{trace_id}") || !HttpSession.isHttpUrl(traces.replace("{trace_id}", "0")))) {
            throw new IllegalArgumentException("Invalid --lt-trace-url-template '" + UrlRedaction.redact(traces)
                    + "': use an http(s) URL with {trace_id}, e.g. https://tempo.example/trace/{trace_id}");
        }
        return new WebSettings(host, port, base, login, cert, key, grafana, traces);
    }

    private static Path file(String name, String option) {
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            Path p = Path.of(name);
            if (!Files.isReadable(p) || Files.isDirectory(p)) {
                throw new IllegalArgumentException("Invalid " + option + " '" + name + "': no readable file of that name");
            }
            return p;
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("Invalid " + option + " '" + name + "': not a valid file name");
        }
    }

    @Override
    public String toString() {
        return "WebSettings[" + (host.isEmpty() ? "*" : host) + ":" + port + basePath + (login != null ? ", login" : "")
                + (tls() ? ", tls" : "") + "]";
    }
}
