package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.process.CompilerDirectives;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenTelemetry SDK for one environment, configured by the SDK's autoconfigure module: the
 * standard {@code OTEL_*} variables (and {@code otel.*} system properties) apply, the plugin's
 * options override them where given, and the project's defaults (service name, sampler ratio 0.01)
 * fill what neither sets. Exports go through the official OTLP exporters, wrapped by a
 * {@link DeliveryTracker}; the Prometheus pull endpoint is the SDK's {@link PrometheusHttpServer}.
 */
public final class OtelPipeline {
    /** Set to {@code true}, lets C2 compile the exporters too. */
    static final String KEEP_EXPORTER_C2 = "jlocust.otel.exporter.c2";
    /** The exporters and the HTTP client they send with; none of it runs on a user's thread. */
    static final String[] EXPORTER_CODE = {"io/opentelemetry/exporter/*.*", "okhttp3/*.*", "okio/*.*", "kotlin/*.*"};
    private static final Logger log = LoggerFactory.getLogger(OtelPipeline.class);
    /** The exporters' own failure logs: replaced by the tracker's one line at the end. */
    private static final java.util.logging.Logger EXPORTER_LOGS = java.util.logging.Logger.getLogger("io.opentelemetry.exporter");
    /** Autoconfigure's INFO lines (e.g. "closing partially configured components" before our own error line). */
    private static final java.util.logging.Logger AUTOCONFIGURE_LOGS =
            java.util.logging.Logger.getLogger("io.opentelemetry.sdk.autoconfigure");
    private static final Duration FINAL_FLUSH = Duration.ofSeconds(12);
    private static final Duration FINAL_FLUSH_COLLECTOR_DOWN = Duration.ofMillis(2500);
    private static final Duration SHUTDOWN = Duration.ofSeconds(3);
    private static final Duration SHUTDOWN_COLLECTOR_DOWN = Duration.ofSeconds(1);

    private final OpenTelemetrySdk sdk;
    private final DeliveryTracker tracker;
    private final Meter meter;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final String target;
    private final boolean otlpMetrics;
    private final boolean parentBasedSampler;
    private final double rootRatio;
    private volatile boolean closed;

    private OtelPipeline(OpenTelemetrySdk sdk, DeliveryTracker tracker, boolean tracing, String target, boolean otlpMetrics,
            boolean parentBasedSampler, double rootRatio) {
        this.parentBasedSampler = parentBasedSampler;
        this.rootRatio = rootRatio;
        this.sdk = sdk;
        this.tracker = tracker;
        this.meter = sdk.getMeterProvider().get(OtelNames.METER);
        this.tracer = tracing ? sdk.getTracerProvider().get(OtelNames.METER) : null;
        this.propagator = sdk.getPropagators().getTextMapPropagator();
        this.target = target;
        this.otlpMetrics = otlpMetrics;
    }

    /**
     * Builds the SDK and starts exporting.
     *
     * @param settings       the plugin's options
     * @param exportInterval {@code --lt-stats-recorder-interval}
     * @param sourceId       {@code service.instance.id}
     * @param wantTraces     whether this role makes requests (worker, local) and so may trace
     * @throws TelemetryConfigurationException for a configuration the SDK refuses, or a Prometheus port in use
     */
    public static OtelPipeline start(OtelSettings settings, Duration exportInterval, String sourceId, boolean wantTraces) {
        EXPORTER_LOGS.setLevel(Level.OFF);
        AUTOCONFIGURE_LOGS.setLevel(Level.WARNING);
        DeliveryTracker tracker = new DeliveryTracker();
        ConfigProperties[] effective = new ConfigProperties[1];
        boolean[] tracing = {false};
        boolean[] parentBased = {false};
        double[] rootRatio = {Double.NaN};
        try {
            AutoConfiguredOpenTelemetrySdk auto = AutoConfiguredOpenTelemetrySdk.builder()
                    .disableShutdownHook()
                    .setServiceClassLoader(OtelPipeline.class.getClassLoader())
                    .addPropertiesSupplier(OtelPipeline::defaults)
                    .addPropertiesCustomizer(config -> overrides(config, settings, exportInterval, wantTraces))
                    .addResourceCustomizer((resource, config) -> resource(resource, sourceId))
                    .addMetricExporterCustomizer((exporter, config) -> tracker.metrics(exporter))
                    .addSpanExporterCustomizer((exporter, config) -> tracker.spans(exporter))
                    .addTracerProviderCustomizer((builder, config) -> builder.addSpanProcessor(tracker.spanCounter()))
                    .addMeterProviderCustomizer((builder, config) -> {
                        effective[0] = config;
                        if (settings.exponentialHistogram()) {
                            builder.registerView(InstrumentSelector.builder().setType(InstrumentType.HISTOGRAM)
                                            .setMeterName(OtelNames.METER).build(),
                                    View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build());
                        }
                        if (settings.prometheusPort() != null) {
                            builder.registerMetricReader(new PrometheusPullReader(prometheus(settings)));
                        }
                        return builder;
                    })
                    .addSamplerCustomizer((sampler, config) -> {
                        tracing[0] = true;
                        double ratio = rootRatio(config);
                        if (!Double.isNaN(ratio)) {
                            // the tracer decides for root tasks itself and asks the SDK only for the sampled ones
                            rootRatio[0] = ratio;
                            parentBased[0] = true;
                            return Sampler.parentBased(Sampler.alwaysOn());
                        }
                        String d = sampler.getDescription();
                        parentBased[0] = d.startsWith("ParentBased{") && d.contains("localParentNotSampled:AlwaysOffSampler");
                        return sampler;
                    })
                    .build();
            ConfigProperties config = effective[0];
            boolean traces = wantTraces && tracing[0] && config != null && !"none".equals(exporters(config, "otel.traces.exporter"));
            boolean otlpMetrics = config != null && exporters(config, "otel.metrics.exporter").contains("otlp");
            String target = config == null ? "(OpenTelemetry SDK disabled)" : target(config);
            if (otlpMetrics || traces || settings.prometheusPort() != null) {
                // exporters run every few seconds on their own threads: C2 would compile their
                // serializers minutes into the run, on the cores that generate the load
                CompilerDirectives.excludeFromC2(KEEP_EXPORTER_C2, EXPORTER_CODE);
            }
            OtelPipeline p = new OtelPipeline(auto.getOpenTelemetrySdk(), tracker, traces, target, otlpMetrics, parentBased[0],
                    rootRatio[0]);
            log.info("OpenTelemetry: {}{}{}", otlpMetrics || traces ? "OTLP to " + target : "no OTLP export",
                    settings.prometheusPort() != null ? ", Prometheus metrics on http://" + settings.prometheusHost() + ":"
                            + settings.prometheusPort() + "/metrics" : "",
                    traces ? ", traces sampled by " + config.getString("otel.traces.sampler") + " "
                            + config.getString("otel.traces.sampler.arg", "") : ", no traces");
            return p;
        } catch (ConfigurationException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof TelemetryConfigurationException own) {
                    throw own; // ours, from a customizer (e.g. the Prometheus port)
                }
            }
            throw new TelemetryConfigurationException("otel recorder: " + redact(e.getMessage()), e);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new TelemetryConfigurationException("otel recorder could not start: " + redact(String.valueOf(cause.getMessage())), e);
        }
    }

    private static PrometheusHttpServer prometheus(OtelSettings settings) {
        try {
            return PrometheusHttpServer.builder().setHost(settings.prometheusHost()).setPort(settings.prometheusPort()).build();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new TelemetryConfigurationException("--lt-otel-prometheus-port: cannot listen on " + settings.prometheusHost() + ":"
                    + settings.prometheusPort() + ": " + cause.getMessage(), e);
        }
    }

    /** The project's defaults: below the {@code OTEL_*} variables and system properties. */
    private static Map<String, String> defaults() {
        Map<String, String> d = new HashMap<>();
        d.put("otel.traces.sampler", "parentbased_traceidratio");
        d.put("otel.traces.sampler.arg", String.valueOf(OtelSettings.DEFAULT_SAMPLER_RATIO));
        d.put("otel.metrics.exporter", "otlp");
        d.put("otel.traces.exporter", "otlp");
        return d;
    }

    /** The plugin's options, over the {@code OTEL_*} variables. */
    static Map<String, String> overrides(ConfigProperties config, OtelSettings s, Duration exportInterval, boolean wantTraces) {
        Map<String, String> o = new HashMap<>();
        o.put("otel.metric.export.interval", String.valueOf(Math.max(1, exportInterval.toMillis())));
        o.put("otel.logs.exporter", "none");
        boolean insecure = s.insecure() != null ? s.insecure() : config.getBoolean("otel.exporter.otlp.insecure", false);
        String endpoint = s.endpoint() != null ? s.endpoint() : config.getString("otel.exporter.otlp.endpoint");
        if (endpoint != null) {
            o.put("otel.exporter.otlp.endpoint", OtelSettings.withScheme(endpoint, insecure));
        }
        for (String signal : new String[] {"metrics", "traces"}) {
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
                || config.getString("otel.exporter.otlp.traces.endpoint") != null;
        if (s.prometheusPort() != null && !anyEndpoint) {
            // pull only: nothing to push to unless an OTLP endpoint was given
            o.put("otel.metrics.exporter", "none");
            o.put("otel.traces.exporter", "none");
        }
        if (!s.traces() || !wantTraces) {
            o.put("otel.traces.exporter", "none");
        }
        return o;
    }

    /** {@code service.name} defaults to {@code locust_telemetry}; {@code service.instance.id} is the source id. */
    private static Resource resource(Resource resource, String sourceId) {
        ResourceBuilder b = resource.toBuilder();
        String name = resource.getAttribute(OtelNames.SERVICE_NAME);
        if (name == null || name.startsWith("unknown_service")) {
            b.put(OtelNames.SERVICE_NAME, OtelNames.DEFAULT_SERVICE_NAME);
        }
        b.put(OtelNames.SERVICE_INSTANCE_ID, sourceId);
        return b.build();
    }

    private static String exporters(ConfigProperties config, String key) {
        return String.join(",", config.getList(key)).toLowerCase(Locale.ROOT);
    }

    /** Where metrics go, for messages: the endpoint (without user info) and the protocol, never headers. */
    private static String target(ConfigProperties config) {
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

    public Meter meter() {
        return meter;
    }

    /** The tracer, or null when traces are off. */
    public Tracer tracer() {
        return tracer;
    }

    public TextMapPropagator propagator() {
        return propagator;
    }

    /**
     * The fraction of root tasks to trace when the configured sampler is one of the standard ratio
     * samplers ({@code always_on}, {@code always_off}, {@code traceidratio} and their
     * {@code parentbased_} forms), or NaN when the SDK's sampler decides every span.
     */
    public double rootRatio() {
        return rootRatio;
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

    /** Whether the sampler follows the parent span's decision. */
    public boolean parentBasedSampler() {
        return parentBasedSampler;
    }

    public DeliveryTracker tracker() {
        return tracker;
    }

    /** Where OTLP exports go, for messages. */
    public String target() {
        return target;
    }

    /** Exports what is recorded now and waits for it, at most {@code timeout}. */
    public void flush(Duration timeout) {
        if (closed) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        exportMetricsNow(deadline);
        sdk.getSdkTracerProvider().forceFlush().join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
    }

    /**
     * The final flush, then shutdown: metrics recorded until now and the ended spans are exported
     * (bounded: 12 s, or 2.5 s when the collector already looks down), later exports are skipped, and
     * one warning says what was not delivered. Idempotent.
     */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean down = tracker.collectorLooksDown();
        Duration budget = down ? FINAL_FLUSH_COLLECTOR_DOWN : FINAL_FLUSH;
        long deadline = System.nanoTime() + budget.toNanos();
        boolean delivered = exportMetricsNow(deadline);
        tracker.finalMetricsFlushed(delivered || !otlpMetrics);
        sdk.getSdkTracerProvider().forceFlush().join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        tracker.closeSpans();
        CompletableResultCode shutdown = sdk.shutdown();
        // the exporters' threads are daemons: an export still retrying against a dead collector is left behind
        shutdown.join((down || tracker.collectorLooksDown() ? SHUTDOWN_COLLECTOR_DOWN : SHUTDOWN).toMillis(), TimeUnit.MILLISECONDS);
        String summary = tracker.summary(target);
        if (summary != null) {
            log.warn(summary);
        }
    }

    /**
     * Runs one collect-and-export that starts now and waits for it until {@code deadline}. While an
     * earlier export is still in flight the SDK skips the request, so it is repeated. Returns whether
     * the export was delivered (true also when there is no OTLP metric exporter).
     */
    private boolean exportMetricsNow(long deadline) {
        if (!tracker.hasMetricExporter()) {
            sdk.getSdkMeterProvider().forceFlush().join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            return true;
        }
        while (true) {
            long before = tracker.metricExportsStarted();
            CompletableResultCode r = sdk.getSdkMeterProvider().forceFlush();
            r.join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            if (tracker.metricExportCompletedAfter(before)) {
                return !tracker.lastMetricExportFailed();
            }
            if (tracker.metricExportsStarted() == before && r.isDone() && r.isSuccess()) {
                return true; // nothing recorded, nothing to export (a busy reader fails the flush instead)
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    public boolean isClosed() {
        return closed;
    }
}
