package io.locusttelemetry.telemetry.otel;

import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryRecorderPlugin;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginBase;
import io.locusttelemetry.telemetry.otel.internal.OtelLogRecorder;
import io.locusttelemetry.telemetry.otel.internal.OtelRecorder;
import io.locusttelemetry.telemetry.otel.internal.OtelSettings;
import java.util.List;

/**
 * The {@code otel} recorder plugin: OpenTelemetry metrics over OTLP (gRPC or HTTP/protobuf) and an
 * optional Prometheus pull endpoint, with the reference's instrument names so that its dashboards
 * work, and the JVM's own health by the semantic conventions' {@code jvm.*} names; traces of tasks
 * and requests, with the W3C {@code traceparent} injected into the requests (HTTP, or any protocol
 * through the engine's {@code RequestContext}); every telemetry record as an OTLP log record.
 * Built on the official OpenTelemetry Java SDK: the standard {@code OTEL_*} environment variables
 * apply, and this plugin's options override them.
 */
@TelemetryRecorderPlugin
public final class OtelTelemetryRecorderPlugin extends TelemetryRecorderPluginBase {
    /** The id for {@code --enable-telemetry-recorder}. */
    public static final String ID = "otel";

    public OtelTelemetryRecorderPlugin() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "OpenTelemetry recorder";
    }

    @Override
    public void addCliArguments(CommandLineParser.OptionGroup group) {
        group.addArgument(OptionSpec.option("--lt-otel-exporter-otlp-endpoint").dest(OtelSettings.ENDPOINT)
                        .env("LOCUST_OTEL_EXPORTER_OTLP_ENDPOINT").paramLabel("URL")
                        .help("OTLP endpoint, e.g. http://otel-collector:4317 (else OTEL_EXPORTER_OTLP_ENDPOINT; default"
                                + " http://localhost:4317, or :4318 for http/protobuf)")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-exporter-otlp-insecure").dest(OtelSettings.INSECURE)
                        .env("LOCUST_OTEL_EXPORTER_OTLP_INSECURE").type(Boolean.class)
                        .help("No TLS for an endpoint given as host:port; a full URL's http:// or https:// decides itself"
                                + " (default false)")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-exporter-otlp-protocol").dest(OtelSettings.PROTOCOL)
                        .env("OTEL_EXPORTER_OTLP_PROTOCOL").paramLabel("PROTOCOL")
                        .help("OTLP transport: grpc or http/protobuf (default grpc)")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-exporter-otlp-headers").dest(OtelSettings.HEADERS)
                        .env("OTEL_EXPORTER_OTLP_HEADERS").paramLabel("KEY=VALUE[,...]")
                        .help("Headers sent with every export, e.g. an API key; their values are never logged")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-traces").dest(OtelSettings.TRACES).env("LOCUST_OTEL_TRACES")
                        .type(Boolean.class).defaultValue("true")
                        .help("Trace each task and request and put the request's traceparent into it; false turns tracing off"
                                + " (no cost at all)")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-traces-sampler-ratio").dest(OtelSettings.SAMPLER_RATIO)
                        .env("LOCUST_OTEL_TRACES_SAMPLER_RATIO").type(Double.class).paramLabel("RATIO")
                        .help("Fraction of task executions traced, 0 to 1 (else OTEL_TRACES_SAMPLER/OTEL_TRACES_SAMPLER_ARG;"
                                + " default parentbased_traceidratio 0.01)")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-max-endpoints").dest(OtelSettings.MAX_ENDPOINTS)
                        .env("LOCUST_OTEL_MAX_ENDPOINTS").type(Integer.class)
                        .defaultValue(String.valueOf(OtelSettings.DEFAULT_MAX_ENDPOINTS)).paramLabel("N")
                        .help("Distinct request names kept as the endpoint attribute; later ones are recorded as \"other\"")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-histogram").dest(OtelSettings.HISTOGRAM).env("LOCUST_OTEL_HISTOGRAM")
                        .defaultValue("explicit").paramLabel("KIND")
                        .help("Request histograms: explicit (millisecond buckets) or exponential (base-2 exponential)")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-prometheus-port").dest(OtelSettings.PROMETHEUS_PORT)
                        .env("LOCUST_OTEL_PROMETHEUS_PORT").port(false).paramLabel("PORT")
                        .help("Serve the metrics for Prometheus to scrape at http://HOST:PORT/metrics (without an OTLP"
                                + " endpoint set, nothing is pushed then)")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-prometheus-host").dest(OtelSettings.PROMETHEUS_HOST)
                        .env("LOCUST_OTEL_PROMETHEUS_HOST").defaultValue(OtelSettings.DEFAULT_PROMETHEUS_HOST).paramLabel("HOST")
                        .help("Address the Prometheus endpoint listens on")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-prometheus-linger").dest(OtelSettings.PROMETHEUS_LINGER)
                        .env("LOCUST_OTEL_PROMETHEUS_LINGER").type(Double.class).defaultValue("15").paramLabel("SECONDS")
                        .help("After the run, serve the final metrics until Prometheus scrapes them once, at most this long"
                                + " (a 15 s scrape interval; 0 stops at once)")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-logs").dest(OtelSettings.LOGS).env("LOCUST_OTEL_LOGS")
                        .type(Boolean.class).defaultValue("true")
                        .help("Send every telemetry record (events, system and request statistics) as an OTLP log record too,"
                                + " with the same endpoint; false sends none")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-baggage").dest(OtelSettings.BAGGAGE).env("LOCUST_OTEL_BAGGAGE")
                        .type(Boolean.class).defaultValue("false")
                        .help("Add W3C baggage locust.run_id and locust.testplan to traced requests, for the system under test"
                                + " to tag its own telemetry with the run")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-traces-keep-errors").dest(OtelSettings.KEEP_ERRORS)
                        .env("LOCUST_OTEL_TRACES_KEEP_ERRORS").type(Boolean.class).defaultValue("false")
                        .help("Also export the spans of a task the sampler dropped when one of its requests failed (the"
                                + " traceparent sent keeps the sampler's decision)")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-traces-slow-ms").dest(OtelSettings.SLOW_MS)
                        .env("LOCUST_OTEL_TRACES_SLOW_MS").type(Double.class).paramLabel("MS")
                        .help("Also export the spans of a task the sampler dropped when one of its requests took longer than"
                                + " this (default: off)")
                        .build())
                .addArgument(OptionSpec.option("--lt-otel-semconv").dest(OtelSettings.SEMCONV).env("LOCUST_OTEL_SEMCONV")
                        .type(Boolean.class).defaultValue("false")
                        .help("Also record the semantic conventions' http.client.request.duration (seconds), for a vendor's"
                                + " HTTP client views")
                        .build());
    }

    @Override
    public void validate(ParsedOptions options) {
        OtelSettings.from(options);
    }

    private static OtelSettings settings(Environment env) {
        return OtelSettings.from(env.parsedOptions());
    }

    /** One SDK per environment: with {@code --lt-otel-logs}, its recorder also takes every telemetry record. */
    private static OtelRecorder recorder(Environment env, boolean events, boolean requests) {
        OtelSettings s = settings(env);
        return s.logs() ? new OtelLogRecorder(env, s, events, requests) : new OtelRecorder(env, s, events, requests);
    }

    /** Test events, user count and system usage (requests are made, and traced, on the workers). */
    @Override
    public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) {
        return List.of(recorder(env, true, false));
    }

    /** User count, system usage, request histograms and traces. */
    @Override
    public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) {
        return List.of(recorder(env, false, true));
    }

    /** Everything, with one SDK. */
    @Override
    public List<TelemetryBaseRecorder> loadLocalTelemetryRecorders(Environment env) {
        return List.of(recorder(env, true, true));
    }
}
