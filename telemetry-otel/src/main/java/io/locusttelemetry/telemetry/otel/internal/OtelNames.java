package io.locusttelemetry.telemetry.otel.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Instrument names, units and attribute keys of {@code telemetry-spec.md} §3, and the span attribute keys. */
public final class OtelNames {
    private OtelNames() {}

    /** The meter's name. */
    public static final String METER = "locust_telemetry";
    /** {@code service.name} when neither {@code OTEL_SERVICE_NAME} nor {@code OTEL_RESOURCE_ATTRIBUTES} sets one. */
    public static final String DEFAULT_SERVICE_NAME = "locust_telemetry";

    public static final String TEST_EVENTS = "locust.tl.event.test.events";
    public static final String USER_COUNT = "locust.tl.user.metric.count";
    public static final String CPU = "locust.tl.system.metric.cpu";
    public static final String MEM = "locust.tl.system.metric.mem";
    public static final String NETWORK = "locust.tl.system.metric.network";
    public static final String REQUEST_SUCCESS = "locust.tl.request.metric.success";
    public static final String REQUEST_ERROR = "locust.tl.request.metric.error";

    /** The event names counted by {@link #TEST_EVENTS} (the JSON recorder's event names). */
    public static final String EVENT_TEST_START = "locust.tl.event.test.start";
    public static final String EVENT_TEST_STOP = "locust.tl.event.test.stop";
    public static final String EVENT_SPAWN_COMPLETE = "locust.tl.event.spawn.complete";
    public static final String EVENT_CPU_WARNING = "locust.tl.event.cpu.warning";

    public static final String UNIT_ONE = "1";
    public static final String UNIT_PERCENT = "%";
    public static final String UNIT_BYTES = "By";
    public static final String UNIT_MILLISECONDS = "ms";

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

    // resource
    public static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    public static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");

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
