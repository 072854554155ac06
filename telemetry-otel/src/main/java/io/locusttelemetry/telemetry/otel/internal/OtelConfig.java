package io.locusttelemetry.telemetry.otel.internal;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * How the plugin's options become the SDK's autoconfigure properties, over the {@code OTEL_*}
 * variables and under the project's defaults; and the resource every signal carries.
 */
final class OtelConfig {
    private OtelConfig() {}

    /** The project's defaults: below the {@code OTEL_*} variables and system properties. */
    static Map<String, String> defaults() {
        Map<String, String> d = new HashMap<>();
        d.put("otel.traces.sampler", "parentbased_traceidratio");
        d.put("otel.traces.sampler.arg", String.valueOf(OtelSettings.DEFAULT_SAMPLER_RATIO));
        d.put("otel.metrics.exporter", "otlp");
        d.put("otel.traces.exporter", "otlp");
        d.put("otel.logs.exporter", "otlp");
        return d;
    }

    /** The plugin's options, over the {@code OTEL_*} variables. */
    static Map<String, String> overrides(ConfigProperties config, OtelSettings s, Duration exportInterval, boolean wantTraces) {
        Map<String, String> o = new HashMap<>();
        o.put("otel.metric.export.interval", String.valueOf(Math.max(1, exportInterval.toMillis())));
        // the records' batches go out with the metrics, not at the SDK's default of one second
        o.put("otel.blrp.schedule.delay", String.valueOf(Math.max(1, exportInterval.toMillis())));
        boolean insecure = s.insecure() != null ? s.insecure() : config.getBoolean("otel.exporter.otlp.insecure", false);
        String endpoint = s.endpoint() != null ? s.endpoint() : config.getString("otel.exporter.otlp.endpoint");
        if (endpoint != null) {
            o.put("otel.exporter.otlp.endpoint", OtelSettings.withScheme(endpoint, insecure));
        }
        for (String signal : new String[] {"metrics", "traces", "logs"}) {
            String own = config.getString("otel.exporter.otlp." + signal + ".endpoint");
            if (own != null) {
                o.put("otel.exporter.otlp." + signal + ".endpoint", OtelSettings.withScheme(own, insecure));
            }
        }
        if (s.protocol() != null) {
            o.put("otel.exporter.otlp.protocol", s.protocol());
        }
        if (s.headers() != null) {
            o.put("otel.exporter.otlp.headers", s.headers());
        }
        if (s.samplerRatio() != null) {
            o.put("otel.traces.sampler", "parentbased_traceidratio");
            o.put("otel.traces.sampler.arg", String.valueOf(s.samplerRatio()));
        }
        boolean anyEndpoint = endpoint != null || config.getString("otel.exporter.otlp.metrics.endpoint") != null
                || config.getString("otel.exporter.otlp.traces.endpoint") != null
                || config.getString("otel.exporter.otlp.logs.endpoint") != null;
        if (s.prometheusPort() != null && !anyEndpoint) {
            // pull only: nothing to push to unless an OTLP endpoint was given; the tracer stays, so that
            // requests carry their traceparent and the scraped histograms their exemplars
            o.put("otel.metrics.exporter", "none");
            o.put("otel.traces.exporter", "none");
            o.put("otel.logs.exporter", "none");
        }
        if (!s.traces() || !wantTraces) {
            o.put("otel.traces.exporter", "none");
        }
        if (!s.logs()) {
            o.put("otel.logs.exporter", "none");
        }
        return o;
    }

    /**
     * {@code service.name} defaults to {@code locust_telemetry}; {@code service.instance.id} is unique
     * to this process and run (a random UUID, as the conventions recommend), with {@code host.name},
     * {@code process.pid}, {@code service.version} and the role's {@code locust.source_id} beside it.
     * Attributes set through {@code OTEL_RESOURCE_ATTRIBUTES} win.
     */
    static Resource resource(Resource resource, String sourceId) {
        ResourceBuilder b = resource.toBuilder();
        String name = resource.getAttribute(OtelNames.SERVICE_NAME);
        if (name == null || name.startsWith("unknown_service")) {
            b.put(OtelNames.SERVICE_NAME, OtelNames.DEFAULT_SERVICE_NAME);
        }
        putIfAbsent(resource, b, OtelNames.SERVICE_INSTANCE_ID, UUID.randomUUID().toString());
        putIfAbsent(resource, b, OtelNames.SERVICE_VERSION, OtelNames.VERSION);
        String host = hostName();
        if (host != null) {
            putIfAbsent(resource, b, OtelNames.HOST_NAME, host);
        }
        if (resource.getAttribute(OtelNames.PROCESS_PID) == null) {
            b.put(OtelNames.PROCESS_PID, ProcessHandle.current().pid());
        }
        b.put(OtelNames.LOCUST_SOURCE_ID, sourceId);
        return b.build();
    }

    private static void putIfAbsent(Resource resource, ResourceBuilder b, io.opentelemetry.api.common.AttributeKey<String> key, String v) {
        if (resource.getAttribute(key) == null) {
            b.put(key, v);
        }
    }

    /** The machine's name without a DNS lookup where the system says it ({@code HOSTNAME}, /etc/hostname). */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            Path etc = Path.of("/etc/hostname");
            if (Files.isReadable(etc)) {
                String n = Files.readString(etc).trim();
                if (!n.isEmpty()) {
                    return n;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    static String exporters(ConfigProperties config, String key) {
        return String.join(",", config.getList(key)).toLowerCase(Locale.ROOT);
    }

    /** Where metrics go, for messages: the endpoint (without user info) and the protocol, never headers. */
    static String target(ConfigProperties config) {
        String protocol = config.getString("otel.exporter.otlp.metrics.protocol", config.getString("otel.exporter.otlp.protocol", "grpc"));
        String endpoint = config.getString("otel.exporter.otlp.metrics.endpoint", config.getString("otel.exporter.otlp.endpoint"));
        if (endpoint == null) {
            endpoint = protocol.startsWith("http") ? "http://localhost:4318" : "http://localhost:4317";
        }
        return OtelSettings.redactUserInfo(endpoint) + " (" + protocol + ")";
    }

    /** Hides header values (and anything after them) in an SDK message. */
    static String redact(String message) {
        if (message == null) {
            return "configuration error";
        }
        return message.replaceAll("(?i)(headers[^=\\s]*=).*", "$1<hidden>").replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** The root ratio of the standard samplers, NaN for any other (e.g. one from a sampler provider). */
    static double rootRatio(ConfigProperties config) {
        String name = config.getString("otel.traces.sampler", "parentbased_always_on");
        return switch (name) {
            case "always_on", "parentbased_always_on" -> 1.0;
            case "always_off", "parentbased_always_off" -> 0.0;
            case "traceidratio", "parentbased_traceidratio" -> {
                Double arg = config.getDouble("otel.traces.sampler.arg");
                double r = arg == null ? 1.0 : arg;
                yield r >= 0 && r <= 1 ? r : Double.NaN;
            }
            default -> Double.NaN;
        };
    }
}
