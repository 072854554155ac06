package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code otel} plugin's options of one run, read from {@link ParsedOptions} and checked. A value
 * left null was not given: the standard {@code OTEL_*} variables (read by the SDK's autoconfigure
 * module) or the defaults apply.
 *
 * @param endpoint             {@code --lt-otel-exporter-otlp-endpoint}, or null
 * @param insecure             {@code --lt-otel-exporter-otlp-insecure}, or null
 * @param protocol             {@code grpc} or {@code http/protobuf}, or null
 * @param headers              {@code --lt-otel-exporter-otlp-headers} as given, or null; never logged
 * @param traces               whether tasks and requests are traced
 * @param samplerRatio         {@code --lt-otel-traces-sampler-ratio}, or null
 * @param maxEndpoints         distinct {@code endpoint} values before {@code other}
 * @param exponentialHistogram base-2 exponential request histograms instead of explicit buckets
 * @param prometheusPort       port of the Prometheus pull endpoint, or null for none
 * @param prometheusHost       address the Prometheus endpoint listens on
 * @param logs                 every telemetry record also as an OTLP log record
 * @param baggage              W3C {@code baggage} with {@code locust.run_id} and {@code locust.testplan} on traced requests
 * @param keepErrors           export the spans of a task that the head sampler dropped when one of its requests failed
 * @param slowMillis           export them when one of its requests took longer than this, or null
 * @param prometheusLinger     how long the Prometheus endpoint serves the final values after the run, unless scraped sooner
 * @param semconv              also record the semantic conventions' {@code http.client.request.duration}
 */
public record OtelSettings(
        String endpoint,
        Boolean insecure,
        String protocol,
        String headers,
        boolean traces,
        Double samplerRatio,
        int maxEndpoints,
        boolean exponentialHistogram,
        Integer prometheusPort,
        String prometheusHost,
        boolean logs,
        boolean baggage,
        boolean keepErrors,
        Double slowMillis,
        Duration prometheusLinger,
        boolean semconv) {

    public static final String ENDPOINT = "lt_otel_exporter_otlp_endpoint";
    public static final String INSECURE = "lt_otel_exporter_otlp_insecure";
    public static final String PROTOCOL = "lt_otel_exporter_otlp_protocol";
    public static final String HEADERS = "lt_otel_exporter_otlp_headers";
    public static final String TRACES = "lt_otel_traces";
    public static final String SAMPLER_RATIO = "lt_otel_traces_sampler_ratio";
    public static final String MAX_ENDPOINTS = "lt_otel_max_endpoints";
    public static final String HISTOGRAM = "lt_otel_histogram";
    public static final String PROMETHEUS_PORT = "lt_otel_prometheus_port";
    public static final String PROMETHEUS_HOST = "lt_otel_prometheus_host";
    public static final String LOGS = "lt_otel_logs";
    public static final String BAGGAGE = "lt_otel_baggage";
    public static final String KEEP_ERRORS = "lt_otel_traces_keep_errors";
    public static final String SLOW_MS = "lt_otel_traces_slow_ms";
    public static final String PROMETHEUS_LINGER = "lt_otel_prometheus_linger";
    public static final String SEMCONV = "lt_otel_semconv";

    public static final int DEFAULT_MAX_ENDPOINTS = 100;
    public static final double DEFAULT_SAMPLER_RATIO = 0.01;
    public static final String DEFAULT_PROMETHEUS_HOST = "0.0.0.0";
    /** Seconds the Prometheus endpoint lingers: one scrape at a 15 s scrape interval. */
    public static final double DEFAULT_PROMETHEUS_LINGER = 15;

    /**
     * Reads and checks the options.
     *
     * @throws TelemetryConfigurationException with a one-line message (header values are never part of it)
     */
    public static OtelSettings from(ParsedOptions o) {
        String endpoint = blankToNull(o.getString(ENDPOINT));
        if (endpoint != null) {
            endpoint = checkEndpoint(endpoint);
        }
        Boolean insecure = o.has(INSECURE) ? bool(o, INSECURE, "--lt-otel-exporter-otlp-insecure") : null;
        String protocol = blankToNull(o.getString(PROTOCOL));
        if (protocol != null) {
            protocol = protocol.toLowerCase(Locale.ROOT);
            if (!protocol.equals("grpc") && !protocol.equals("http/protobuf")) {
                throw new TelemetryConfigurationException("--lt-otel-exporter-otlp-protocol must be grpc or http/protobuf; got '"
                        + o.getString(PROTOCOL) + "'");
            }
        }
        String headers = blankToNull(o.getString(HEADERS));
        if (headers != null) {
            parseHeaders(headers);
        }
        boolean traces = !o.has(TRACES) || bool(o, TRACES, "--lt-otel-traces");
        Double ratio = null;
        if (o.has(SAMPLER_RATIO)) {
            double r;
            try {
                r = o.getDouble(SAMPLER_RATIO, DEFAULT_SAMPLER_RATIO);
            } catch (NumberFormatException e) {
                r = Double.NaN;
            }
            if (!(r >= 0 && r <= 1)) {
                throw new TelemetryConfigurationException("--lt-otel-traces-sampler-ratio must be a number from 0 to 1; got '"
                        + o.getString(SAMPLER_RATIO) + "'");
            }
            ratio = r;
        }
        int maxEndpoints = positiveInt(o, MAX_ENDPOINTS, "--lt-otel-max-endpoints", DEFAULT_MAX_ENDPOINTS, 1);
        String histogram = o.getString(HISTOGRAM, "explicit").trim().toLowerCase(Locale.ROOT);
        if (!histogram.equals("explicit") && !histogram.equals("exponential")) {
            throw new TelemetryConfigurationException("--lt-otel-histogram must be explicit or exponential; got '"
                    + o.getString(HISTOGRAM) + "'");
        }
        Integer port = null;
        if (o.has(PROMETHEUS_PORT)) {
            port = positiveInt(o, PROMETHEUS_PORT, "--lt-otel-prometheus-port", 0, 1);
            if (port > 65535) {
                throw new TelemetryConfigurationException("--lt-otel-prometheus-port must be a port from 1 to 65535; got '"
                        + o.getString(PROMETHEUS_PORT) + "'");
            }
        }
        String host = blankToNull(o.getString(PROMETHEUS_HOST));
        boolean logs = !o.has(LOGS) || bool(o, LOGS, "--lt-otel-logs");
        boolean baggage = o.has(BAGGAGE) && bool(o, BAGGAGE, "--lt-otel-baggage");
        boolean keepErrors = o.has(KEEP_ERRORS) && bool(o, KEEP_ERRORS, "--lt-otel-traces-keep-errors");
        Double slow = o.has(SLOW_MS) ? nonNegative(o, SLOW_MS, "--lt-otel-traces-slow-ms", "a number of milliseconds") : null;
        double linger = o.has(PROMETHEUS_LINGER)
                ? nonNegative(o, PROMETHEUS_LINGER, "--lt-otel-prometheus-linger", "a number of seconds") : DEFAULT_PROMETHEUS_LINGER;
        boolean semconv = o.has(SEMCONV) && bool(o, SEMCONV, "--lt-otel-semconv");
        return new OtelSettings(endpoint, insecure, protocol, headers, traces, ratio, maxEndpoints,
                histogram.equals("exponential"), port, host == null ? DEFAULT_PROMETHEUS_HOST : host, logs, baggage, keepErrors,
                slow, Duration.ofMillis(Math.round(linger * 1000)), semconv);
    }

    /** Whether some requests' traces are kept although the head sampler dropped them. */
    public boolean keepsTraces() {
        return keepErrors || slowMillis != null;
    }

    private static double nonNegative(ParsedOptions o, String dest, String flag, String what) {
        double v;
        try {
            v = o.getDouble(dest, 0);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new TelemetryConfigurationException(flag + " must be " + what + ", 0 or more; got '" + o.getString(dest) + "'");
        }
        return v;
    }

    /** A URL with http or https, or {@code host:port} (its scheme then follows {@code --lt-otel-exporter-otlp-insecure}). */
    static String checkEndpoint(String endpoint) {
        String e = endpoint.trim();
        String lower = e.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            rest = e.substring(e.indexOf("://") + 3);
        } else if (lower.contains("://")) {
            throw new TelemetryConfigurationException("--lt-otel-exporter-otlp-endpoint must use http:// or https://; got '"
                    + redactUserInfo(e) + "'");
        } else {
            rest = e;
        }
        String authority = rest.split("[/?#]", 2)[0];
        if (authority.isEmpty() || authority.contains(" ")) {
            throw new TelemetryConfigurationException("--lt-otel-exporter-otlp-endpoint is not a valid URL: '" + redactUserInfo(e)
                    + "' (e.g. http://otel-collector:4317)");
        }
        return e;
    }

    /** Applies {@code insecure} to an endpoint given without a scheme; a full URL is returned as it is. */
    public static String withScheme(String endpoint, boolean insecure) {
        String lower = endpoint.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return endpoint;
        }
        return (insecure ? "http://" : "https://") + endpoint;
    }

    /**
     * Parses {@code key=value,key2=value2}. Values may contain {@code =}; keys must not be empty.
     * Error messages name the position of a bad entry, never its text.
     */
    public static Map<String, String> parseHeaders(String headers) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] entries = headers.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || entry.substring(0, eq).isBlank()) {
                throw new TelemetryConfigurationException("--lt-otel-exporter-otlp-headers: entry " + (i + 1)
                        + " is not key=value (values are not shown)");
            }
            out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return out;
    }

    /** The endpoint with any user:password@ part replaced, for messages. */
    public static String redactUserInfo(String url) {
        if (url == null) {
            return null;
        }
        return io.locusttelemetry.engine.UrlRedaction.redact(url);
    }

    private static boolean bool(ParsedOptions o, String dest, String flag) {
        Object v = o.get(dest);
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new TelemetryConfigurationException(flag + " must be true or false; got '" + v + "'");
        };
    }

    private static int positiveInt(ParsedOptions o, String dest, String flag, int fallback, int min) {
        int v;
        try {
            Object raw = o.get(dest);
            if (raw instanceof Number n && n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new NumberFormatException();
            }
            v = o.getInt(dest, fallback);
        } catch (NumberFormatException e) {
            throw new TelemetryConfigurationException(flag + " must be a whole number; got '" + o.getString(dest) + "'");
        }
        if (v < min) {
            throw new TelemetryConfigurationException(flag + " must be at least " + min + "; got " + v);
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Never shows header values. */
    @Override
    public String toString() {
        return "OtelSettings[endpoint=" + redactUserInfo(endpoint) + ", insecure=" + insecure + ", protocol=" + protocol
                + ", headers=" + (headers == null ? "none" : parseHeaders(headers).keySet() + " (values hidden)")
                + ", traces=" + traces + ", samplerRatio=" + samplerRatio + ", maxEndpoints=" + maxEndpoints
                + ", histogram=" + (exponentialHistogram ? "exponential" : "explicit") + ", prometheus="
                + (prometheusPort == null ? "off" : prometheusHost + ":" + prometheusPort + " linger " + prometheusLinger)
                + ", logs=" + logs + ", baggage=" + baggage + ", keepErrors=" + keepErrors + ", slowMillis=" + slowMillis
                + ", semconv=" + semconv + "]";
    }
}
