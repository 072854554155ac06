package io.locusttelemetry.telemetry.otel.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.semconv.SchemaUrls;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Instrument names, units and attribute keys of {@code telemetry-spec.md} §3, and the span attribute keys. */
public final class OtelNames {
    private OtelNames() {}

    /** The meter's name. */
    public static final String METER = "locust_telemetry";
    /**
     * The semantic conventions the {@code jvm.*}, {@code http.*} and resource names follow: those of
     * the {@code opentelemetry-semconv} artifact the build uses (its stable JVM and HTTP conventions).
     */
    public static final String SCHEMA_URL = SchemaUrls.V1_37_0;
    /** {@code service.name} when neither {@code OTEL_SERVICE_NAME} nor {@code OTEL_RESOURCE_ATTRIBUTES} sets one. */
    public static final String DEFAULT_SERVICE_NAME = "locust_telemetry";

    public static final String TEST_EVENTS = "locust.tl.event.test.events";
    public static final String USER_COUNT = "locust.tl.user.metric.count";
    public static final String CPU = "locust.tl.system.metric.cpu";
    public static final String MEM = "locust.tl.system.metric.mem";
    public static final String NETWORK = "locust.tl.system.metric.network";
    public static final String REQUEST_SUCCESS = "locust.tl.request.metric.success";
    public static final String REQUEST_ERROR = "locust.tl.request.metric.error";
    /** Response times from the intended start (open model, paced users), in ms, with the request histograms' attributes. */
    public static final String REQUEST_INTENDED = "locust.tl.request.metric.intended";
    /** An open model's iterations, per {@link #USER_CLASS} and {@link #OUTCOME} ({@code started}, {@code dropped}, {@code late}). */
    public static final String ITERATIONS = "locust.tl.iteration.metric.count";
    /** Scheduling lag p99 of the users' wake-ups in the last collection interval (no semantic convention has one). */
    public static final String LAG = "locust.tl.system.metric.lag";

    // the JVM's own health, by the semantic conventions' names
    public static final String JVM_GC_DURATION = "jvm.gc.duration";
    public static final String JVM_MEMORY_USED = "jvm.memory.used";
    public static final String JVM_MEMORY_COMMITTED = "jvm.memory.committed";
    public static final String JVM_CPU_RECENT_UTILIZATION = "jvm.cpu.recent_utilization";
    public static final String JVM_CPU_COUNT = "jvm.cpu.count";
    /** The semantic conventions' bucket advice for {@code jvm.gc.duration}, in seconds. */
    public static final List<Double> GC_DURATION_BUCKETS = List.of(0.01, 0.1, 1.0, 10.0);
    /** The JVM health instruments every role exports ({@code jvm.gc.duration} only once a collection happened). */
    public static final List<String> JVM_HEALTH = List.of(JVM_MEMORY_USED, JVM_MEMORY_COMMITTED, JVM_CPU_RECENT_UTILIZATION, JVM_CPU_COUNT,
            LAG);
    /** {@code --lt-otel-semconv}: the HTTP client's duration histogram, in seconds. */
    public static final String HTTP_CLIENT_REQUEST_DURATION = "http.client.request.duration";
    /** The semantic conventions' bucket advice for {@code http.client.request.duration}, in seconds. */
    public static final List<Double> HTTP_DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75,
            1.0, 2.5, 5.0, 7.5, 10.0);

    /** The event names counted by {@link #TEST_EVENTS} (the JSON recorder's event names). */
    public static final String EVENT_TEST_START = "locust.tl.event.test.start";
    public static final String EVENT_TEST_STOP = "locust.tl.event.test.stop";
    public static final String EVENT_SPAWN_COMPLETE = "locust.tl.event.spawn.complete";
    public static final String EVENT_CPU_WARNING = "locust.tl.event.cpu.warning";
    public static final String EVENT_GENERATOR_SATURATED = "locust.tl.event.generator.saturated";
    public static final String EVENT_ITERATIONS_DROPPED = "locust.tl.event.iterations.dropped";

    public static final String UNIT_ONE = "1";
    public static final String UNIT_PERCENT = "%";
    public static final String UNIT_BYTES = "By";
    public static final String UNIT_MILLISECONDS = "ms";
    public static final String UNIT_SECONDS = "s";

    public static final AttributeKey<String> EVENT = AttributeKey.stringKey("event");
    public static final AttributeKey<String> SOURCE = AttributeKey.stringKey("source");
    public static final AttributeKey<String> SOURCE_ID = AttributeKey.stringKey("source_id");
    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("run_id");
    public static final AttributeKey<String> TESTPLAN = AttributeKey.stringKey("testplan");
    public static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("direction");
    public static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("endpoint");
    public static final AttributeKey<Long> STATUS_CODE = AttributeKey.longKey("status_code");
    public static final AttributeKey<String> METHOD = AttributeKey.stringKey("method");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    public static final AttributeKey<String> USER_CLASS = AttributeKey.stringKey("user_class");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    /** {@code endpoint} of request names beyond {@code --lt-otel-max-endpoints}. */
    public static final String OTHER_ENDPOINT = "other";
    /** {@code error.type} when a failure carries no type (the semantic conventions' fallback). */
    public static final String OTHER_ERROR_TYPE = "_OTHER";

    // span attributes (OpenTelemetry semantic conventions, plus locust.*)
    public static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
    public static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    public static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<String> LOCUST_REQUEST_NAME = AttributeKey.stringKey("locust.request.name");
    public static final AttributeKey<String> LOCUST_USER_CLASS = AttributeKey.stringKey("locust.user.class");
    public static final AttributeKey<String> LOCUST_TASK_NAME = AttributeKey.stringKey("locust.task.name");
    /** A request's type when it is not HTTP ({@code grpc}, {@code kafka}, ...). */
    public static final AttributeKey<String> LOCUST_REQUEST_TYPE = AttributeKey.stringKey("locust.request.type");
    /** On spans exported because they failed or were slow although the head sampler had dropped them. */
    public static final AttributeKey<String> LOCUST_KEPT = AttributeKey.stringKey("locust.trace.kept");
    public static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");
    public static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    public static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    public static final AttributeKey<String> JVM_GC_NAME = io.opentelemetry.semconv.JvmAttributes.JVM_GC_NAME;
    public static final AttributeKey<String> JVM_GC_ACTION = io.opentelemetry.semconv.JvmAttributes.JVM_GC_ACTION;
    public static final AttributeKey<String> JVM_MEMORY_TYPE = io.opentelemetry.semconv.JvmAttributes.JVM_MEMORY_TYPE;
    public static final AttributeKey<String> JVM_MEMORY_POOL_NAME = io.opentelemetry.semconv.JvmAttributes.JVM_MEMORY_POOL_NAME;

    // resource
    public static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    public static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
    public static final AttributeKey<String> SERVICE_VERSION = io.opentelemetry.semconv.ServiceAttributes.SERVICE_VERSION;
    public static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
    public static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");
    /** The role's {@code source_id} on the resource, for traces and logs (metrics carry it on every series). */
    public static final AttributeKey<String> LOCUST_SOURCE_ID = AttributeKey.stringKey("locust.source_id");

    /** This build's version: {@code service.version} and the instrumentation scope's version. */
    public static final String VERSION = version();

    private static String version() {
        try (var in = OtelNames.class.getResourceAsStream("version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * Bucket boundaries of the request histograms, in milliseconds: fine below 100 ms where most
     * requests of a healthy system fall, then roughly 1-2-5 steps up to a minute (the SDK's default
     * boundaries are meant for seconds-like ranges and put half their buckets below 100).
     */
    public static final List<Double> MILLISECOND_BUCKETS = List.of(
            1.0, 2.0, 3.0, 5.0, 7.5, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 75.0, 100.0, 150.0, 200.0, 250.0, 300.0,
            400.0, 500.0, 750.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0, 5000.0, 7500.0, 10000.0, 15000.0, 30000.0, 60000.0);

    /**
     * The metrics of the {@code locust_telemetry} meter: the SDK's own (its batch span processor's
     * and exporters' counters) are not part of the contract and are left out of every export.
     */
    public static Collection<MetricData> ours(Collection<MetricData> all) {
        for (MetricData m : all) {
            if (!METER.equals(m.getInstrumentationScopeInfo().getName())) {
                List<MetricData> out = new ArrayList<>(all.size());
                for (MetricData d : all) {
                    if (METER.equals(d.getInstrumentationScopeInfo().getName())) {
                        out.add(d);
                    }
                }
                return out;
            }
        }
        return all;
    }
}
