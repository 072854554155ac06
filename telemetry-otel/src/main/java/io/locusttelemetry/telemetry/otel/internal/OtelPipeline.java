package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.process.CompilerDirectives;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.slf4j.LoggerFactory;

/**
 * One OpenTelemetry SDK for one environment, configured by the SDK's autoconfigure module: the
 * standard {@code OTEL_*} variables (and {@code otel.*} system properties) apply, the plugin's
 * options override them where given, and the project's defaults (service name, sampler ratio 0.01)
 * fill what neither sets ({@link OtelConfig}). Metrics, traces and logs go through the official
 * OTLP exporters, wrapped by a {@link DeliveryTracker}; the Prometheus pull endpoint is the SDK's
 * {@link PrometheusHttpServer}.
 */
public final class OtelPipeline {
    /** Set to {@code true}, lets C2 compile the exporters too. */
    static final String KEEP_EXPORTER_C2 = "jlocust.otel.exporter.c2";
    /** The exporters and the HTTP client they send with; none of it runs on a user's thread. */
    static final String[] EXPORTER_CODE = {"io/opentelemetry/exporter/*.*", "okhttp3/*.*", "okio/*.*", "kotlin/*.*"};
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(OtelPipeline.class);
    /** The exporters' own failure logs: replaced by the tracker's one line at the end. */
    private static final java.util.logging.Logger EXPORTER_LOGS = java.util.logging.Logger.getLogger("io.opentelemetry.exporter");
    /** Autoconfigure's INFO lines (e.g. "closing partially configured components" before our own error line). */
    private static final java.util.logging.Logger AUTOCONFIGURE_LOGS =
            java.util.logging.Logger.getLogger("io.opentelemetry.sdk.autoconfigure");
    /** The whole end of a run with a healthy collector: final exports and shutdown. */
    private static final Duration FINAL_FLUSH = Duration.ofSeconds(12);
    /** The same when the collector already failed: what the docs promise. */
    static final Duration FINAL_FLUSH_COLLECTOR_DOWN = Duration.ofMillis(2500);
    /** The least a shutdown gets, so the exporters can cancel their calls. */
    private static final long MIN_SHUTDOWN_MILLIS = 100;
    /** After the final scrape was collected, time for its answer to be written before the server stops. */
    private static final long SCRAPE_ANSWER_MILLIS = 250;

    private final OpenTelemetrySdk sdk;
    private final DeliveryTracker tracker;
    private final Meter meter;
    private final Tracer tracer;
    private final boolean logs;
    private final java.util.concurrent.ConcurrentHashMap<String, Logger> loggers = new java.util.concurrent.ConcurrentHashMap<>();
    private final TextMapPropagator propagator;
    private final String target;
    private final boolean otlpMetrics;
    private final boolean parentBasedSampler;
    private final double rootRatio;
    private final PrometheusPullReader prometheus;
    private final Duration prometheusLinger;
    private volatile boolean closed;

    private OtelPipeline(OpenTelemetrySdk sdk, DeliveryTracker tracker, boolean tracing, boolean logs, String target, boolean otlpMetrics,
            boolean parentBasedSampler, double rootRatio, PrometheusPullReader prometheus, Duration prometheusLinger) {
        this.parentBasedSampler = parentBasedSampler;
        this.rootRatio = rootRatio;
        this.sdk = sdk;
        this.tracker = tracker;
        this.meter = sdk.getMeterProvider().meterBuilder(OtelNames.METER).setInstrumentationVersion(OtelNames.VERSION)
                .setSchemaUrl(OtelNames.SCHEMA_URL).build();
        this.tracer = tracing ? sdk.getTracerProvider().tracerBuilder(OtelNames.METER).setInstrumentationVersion(OtelNames.VERSION)
                .setSchemaUrl(OtelNames.SCHEMA_URL).build() : null;
        this.logs = logs;
        this.propagator = sdk.getPropagators().getTextMapPropagator();
        this.target = target;
        this.otlpMetrics = otlpMetrics;
        this.prometheus = prometheus;
        this.prometheusLinger = prometheusLinger;
    }

    /**
     * Builds the SDK and starts exporting.
     *
     * @param settings       the plugin's options
     * @param exportInterval {@code --lt-stats-recorder-interval}
     * @param sourceId       the role's {@code source_id}
     * @param wantTraces     whether this role makes requests (worker, local) and so may trace
     * @throws TelemetryConfigurationException for a configuration the SDK refuses, or a Prometheus port in use
     */
    public static OtelPipeline start(OtelSettings settings, Duration exportInterval, String sourceId, boolean wantTraces) {
        EXPORTER_LOGS.setLevel(Level.OFF);
        AUTOCONFIGURE_LOGS.setLevel(Level.WARNING);
        DeliveryTracker tracker = new DeliveryTracker(exportInterval);
        ConfigProperties[] effective = new ConfigProperties[1];
        boolean[] tracing = {false};
        boolean[] parentBased = {false};
        double[] rootRatio = {Double.NaN};
        PrometheusPullReader[] prometheus = {null};
        try {
            AutoConfiguredOpenTelemetrySdk auto = AutoConfiguredOpenTelemetrySdk.builder()
                    .disableShutdownHook()
                    .setServiceClassLoader(OtelPipeline.class.getClassLoader())
                    .addPropertiesSupplier(OtelConfig::defaults)
                    .addPropertiesCustomizer(config -> OtelConfig.overrides(config, settings, exportInterval, wantTraces))
                    .addResourceCustomizer((resource, config) -> OtelConfig.resource(resource, sourceId))
                    .addMetricExporterCustomizer((exporter, config) -> tracker.metrics(exporter))
                    .addSpanExporterCustomizer((exporter, config) -> tracker.spans(exporter))
                    .addLogRecordExporterCustomizer((exporter, config) -> tracker.logs(exporter))
                    .addTracerProviderCustomizer((builder, config) -> builder.addSpanProcessor(tracker.spanCounter())
                            .setIdGenerator(ForcedIds.INSTANCE))
                    .addMeterProviderCustomizer((builder, config) -> {
                        effective[0] = config;
                        if (settings.exponentialHistogram()) {
                            builder.registerView(InstrumentSelector.builder().setType(InstrumentType.HISTOGRAM)
                                            .setMeterName(OtelNames.METER).setName("locust.tl.*").build(),
                                    View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build());
                        }
                        if (settings.prometheusPort() != null) {
                            prometheus[0] = new PrometheusPullReader(prometheus(settings));
                            builder.registerMetricReader(prometheus[0]);
                        }
                        return builder;
                    })
                    .addSamplerCustomizer((sampler, config) -> {
                        tracing[0] = true;
                        double ratio = OtelConfig.rootRatio(config);
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
            boolean traceExport = config != null && !"none".equals(OtelConfig.exporters(config, "otel.traces.exporter"));
            // pull only still traces: the traceparent reaches the system under test and the histograms get exemplars
            boolean traces = wantTraces && settings.traces() && tracing[0] && config != null
                    && (traceExport || settings.prometheusPort() != null);
            boolean logs = settings.logs() && config != null && OtelConfig.exporters(config, "otel.logs.exporter").contains("otlp");
            boolean otlpMetrics = config != null && OtelConfig.exporters(config, "otel.metrics.exporter").contains("otlp");
            String target = config == null ? "(OpenTelemetry SDK disabled)" : OtelConfig.target(config);
            if (otlpMetrics || traceExport || logs || settings.prometheusPort() != null) {
                // exporters run every few seconds on their own threads: C2 would compile their
                // serializers minutes into the run, on the cores that generate the load
                CompilerDirectives.excludeFromC2(KEEP_EXPORTER_C2, EXPORTER_CODE);
            }
            OtelPipeline p = new OtelPipeline(auto.getOpenTelemetrySdk(), tracker, traces, logs, target, otlpMetrics, parentBased[0],
                    rootRatio[0], prometheus[0], settings.prometheusLinger());
            log.info("OpenTelemetry: {}{}{}", otlpMetrics || traceExport || logs ? "OTLP to " + target + (logs ? " with logs" : "")
                            : "no OTLP export",
                    settings.prometheusPort() != null ? ", Prometheus metrics on http://" + settings.prometheusHost() + ":"
                            + settings.prometheusPort() + "/metrics" : "",
                    traces ? ", traces sampled by " + config.getString("otel.traces.sampler") + " "
                            + config.getString("otel.traces.sampler.arg", "") + (traceExport ? "" : " (not exported: exemplars only)")
                            : ", no traces");
            return p;
        } catch (ConfigurationException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof TelemetryConfigurationException own) {
                    throw own; // ours, from a customizer (e.g. the Prometheus port)
                }
            }
            throw new TelemetryConfigurationException("otel recorder: " + OtelConfig.redact(e.getMessage()), e);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new TelemetryConfigurationException("otel recorder could not start: "
                    + OtelConfig.redact(String.valueOf(cause.getMessage())), e);
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

    public Meter meter() {
        return meter;
    }

    /** The tracer, or null when traces are off. */
    public Tracer tracer() {
        return tracer;
    }

    /**
     * The logger of the telemetry records named {@code scope} (a record's {@code name}, e.g.
     * {@code locust_telemetry.json}), or null when OTLP logs are off.
     */
    public Logger logger(String scope) {
        if (!logs) {
            return null;
        }
        Logger l = loggers.get(scope);
        return l != null ? l : loggers.computeIfAbsent(scope, n -> sdk.getSdkLoggerProvider().loggerBuilder(n)
                .setInstrumentationVersion(OtelNames.VERSION).build());
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

    /** The Prometheus endpoint's reader, or null without one. */
    public PrometheusPullReader prometheus() {
        return prometheus;
    }

    /** Exports what is recorded now and waits for it, at most {@code timeout}. */
    public void flush(Duration timeout) {
        if (closed) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        exportMetricsNow(deadline);
        sdk.getSdkTracerProvider().forceFlush().join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        sdk.getSdkLoggerProvider().forceFlush().join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
    }

    /**
     * The final flush, then shutdown: metrics recorded until now, the ended spans and the records
     * are exported, all of it and the shutdown within 12 s, or 2.5 s when the collector already
     * failed; later exports are skipped, and one warning says what was not delivered. A Prometheus
     * endpoint first serves the final values until it is scraped once, at most
     * {@code --lt-otel-prometheus-linger}. Idempotent.
     */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean down = tracker.collectorLooksDown();
        long deadline = System.nanoTime() + (down ? FINAL_FLUSH_COLLECTOR_DOWN : FINAL_FLUSH).toNanos();
        boolean delivered = exportMetricsNow(deadline);
        tracker.finalMetricsFlushed(delivered || !otlpMetrics);
        sdk.getSdkTracerProvider().forceFlush().join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        sdk.getSdkLoggerProvider().forceFlush().join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        tracker.closeSpansAndLogs();
        lingerForPrometheus();
        // the exporters' threads are daemons: an export still retrying against a dead collector is left behind
        long shutdown = down || tracker.collectorLooksDown() ? Math.max(MIN_SHUTDOWN_MILLIS, remainingMillis(deadline)) : remainingMillis(deadline);
        sdk.shutdown().join(shutdown, TimeUnit.MILLISECONDS);
        String summary = tracker.summary(target);
        if (summary != null) {
            log.warn(summary);
        }
    }

    /** Keeps the pull endpoint up until Prometheus has read the final values, or the linger is over. */
    private void lingerForPrometheus() {
        if (prometheus == null || prometheusLinger.isZero()) {
            return;
        }
        log.info("Serving the final metrics for Prometheus until its next scrape (at most {} s, --lt-otel-prometheus-linger)",
                prometheusLinger.toMillis() / 1000.0);
        if (prometheus.awaitScrape(prometheusLinger)) {
            try {
                Thread.sleep(SCRAPE_ANSWER_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            log.warn("Prometheus did not scrape the final metrics within {} s: the requests since its last scrape are not in it"
                    + " (raise --lt-otel-prometheus-linger to its scrape interval)", prometheusLinger.toMillis() / 1000.0);
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
            var r = sdk.getSdkMeterProvider().forceFlush();
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
