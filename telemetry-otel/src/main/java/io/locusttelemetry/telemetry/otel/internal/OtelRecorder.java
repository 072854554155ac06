package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.telemetry.DeliveryReporting;
import io.locusttelemetry.telemetry.DeliveryStatus;
import io.locusttelemetry.telemetry.SampledRequest;
import io.locusttelemetry.telemetry.SampledRequests;
import io.locusttelemetry.telemetry.SystemUsage;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import io.locusttelemetry.telemetry.TelemetrySettings;
import io.locusttelemetry.telemetry.TestMetadata;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code otel} recorder of one environment. It owns the environment's OpenTelemetry SDK
 * ({@link OtelPipeline}) and records, depending on the role:
 * <ul>
 *   <li>{@code events} (master, local): the {@code locust.tl.event.test.events} counter for test
 *       start, spawn complete, test stop and CPU warnings;</li>
 *   <li>every role: the user count and system usage gauges, read at each collection;</li>
 *   <li>{@code requests} (worker, local): the request histograms, and traces through the engine's
 *       {@link io.locusttelemetry.engine.RequestTracer} hook when traces are on.</li>
 * </ul>
 * and on every role the JVM's own health ({@link JvmMetrics}). On a master or local runner the SDK
 * starts when the recorder is loaded; on a worker at its first test start, once the master's
 * {@code ack} has given it its {@code source_id} ({@code worker-<index>}). Closing does the final
 * flush and shutdown. With OTLP logs on, the plugin loads {@link OtelLogRecorder} instead, which
 * also turns every telemetry record into a log record.
 */
public class OtelRecorder extends TelemetryBaseRecorder implements DeliveryReporting, SampledRequests {
    private static final Logger log = LoggerFactory.getLogger(OtelRecorder.class);
    private static final Duration HOOK_FLUSH = Duration.ofSeconds(10);

    private final OtelSettings otel;
    private final boolean events;
    private final boolean requests;
    private final Object lifecycle = new Object();
    private final SlowestSampled slowest = new SlowestSampled();
    private volatile OtelPipeline pipeline;
    private volatile LongCounter eventCounter;
    private volatile RequestMetrics requestMetrics;
    private volatile OtelRequestTracer tracer;
    private volatile JvmMetrics jvm;
    private volatile EndpointLimit endpoints;
    private volatile String source;
    private volatile String sourceId;
    private volatile Attributes gaugeAttributes;
    private volatile Attributes sentAttributes;
    private volatile Attributes recvAttributes;
    private boolean running;
    private boolean failed;

    /**
     * @param events   record the test events counter (master, local)
     * @param requests record requests and trace (worker, local)
     */
    public OtelRecorder(Environment env, OtelSettings otel, boolean events, boolean requests) {
        super("otel", env);
        this.otel = otel;
        this.events = events;
        this.requests = requests;
        listen(env.events().testStart, e -> testStarted());
        listen(env.events().testStop, e -> testStopped());
        if (events) {
            listen(env.events().spawningComplete, this::spawningComplete);
            listen(env.events().cpuWarning, this::cpuWarning);
        }
        // every process judges its own generator: counted on every role
        listen(env.events().generatorSaturation, g -> {
            if (g.saturated()) {
                countEvent(OtelNames.EVENT_GENERATOR_SATURATED);
            }
        });
        if (requests) {
            listen(env.events().request, this::onRequest);
        }
        Runner runner = env.runner();
        if (runner != null && runner.role() != Runner.Role.WORKER) {
            start();
        }
    }

    /** The SDK of this recorder, or null before it started. */
    public OtelPipeline pipeline() {
        return pipeline;
    }

    /** The request metrics, or null on a role without requests or before the SDK started. */
    public RequestMetrics requestMetrics() {
        return requestMetrics;
    }

    /** The plugin's options. */
    protected final OtelSettings otelSettings() {
        return otel;
    }

    private void start() {
        synchronized (lifecycle) {
            if (pipeline != null || failed || isClosed()) {
                return;
            }
            Runner runner = env().runner();
            source = runner.role().className();
            sourceId = runner.sourceId();
            Duration interval = TelemetrySettings.from(env().parsedOptions()).statsInterval();
            OtelPipeline p = OtelPipeline.start(otel, interval, sourceId, requests);
            Meter meter = p.meter();
            eventCounter = meter.counterBuilder(OtelNames.TEST_EVENTS).setUnit(OtelNames.UNIT_ONE)
                    .setDescription("Test events: start, spawn complete, stop, CPU warning, generator saturated").build();
            meter.gaugeBuilder(OtelNames.USER_COUNT).setUnit(OtelNames.UNIT_ONE).setDescription("Running users").ofLongs()
                    .buildWithCallback(m -> {
                        Runner r = env().runner();
                        if (r != null) {
                            m.record(r.userCount(), gaugeAttributes());
                        }
                    });
            meter.gaugeBuilder(OtelNames.CPU).setUnit(OtelNames.UNIT_PERCENT)
                    .setDescription("Process CPU in percent of one core").buildWithCallback(m -> {
                        SystemUsage u = usage();
                        if (u != null) {
                            m.record(u.cpuPercent(), gaugeAttributes());
                        }
                    });
            meter.gaugeBuilder(OtelNames.MEM).setUnit(OtelNames.UNIT_BYTES).setDescription("Process resident memory").ofLongs()
                    .buildWithCallback(m -> {
                        SystemUsage u = usage();
                        if (u != null) {
                            m.record(u.residentBytes(), gaugeAttributes());
                        }
                    });
            meter.gaugeBuilder(OtelNames.NETWORK).setUnit(OtelNames.UNIT_BYTES)
                    .setDescription("Bytes sent and received on all network interfaces since boot").ofLongs()
                    .buildWithCallback(m -> {
                        SystemUsage u = usage();
                        if (u != null) {
                            gaugeAttributes();
                            m.record(u.networkBytesSent(), sentAttributes);
                            m.record(u.networkBytesRecv(), recvAttributes);
                        }
                    });
            jvm = new JvmMetrics(meter, this::gaugeAttributes, this::usage);
            if (requests) {
                endpoints = new EndpointLimit(otel.maxEndpoints());
                requestMetrics = new RequestMetrics(meter, endpoints, otel.semconv());
                if (p.tracer() != null) {
                    OtelRequestTracer t = new OtelRequestTracer(p.tracer(), p.propagator(), p.parentBasedSampler(), p.rootRatio(),
                            this::currentMetadata, endpoints, TraceOptions.of(otel, p.rootRatio()));
                    tracer = t;
                    env().tracer(t);
                }
            }
            pipeline = p;
        }
    }

    /** {@code source} and {@code source_id}, rebuilt when the source id changed (a worker's index). */
    final Attributes gaugeAttributes() {
        Runner r = env().runner();
        String id = r == null ? sourceId : r.sourceId();
        Attributes a = gaugeAttributes;
        if (a == null || !id.equals(a.get(OtelNames.SOURCE_ID))) {
            a = Attributes.of(OtelNames.SOURCE, source, OtelNames.SOURCE_ID, id);
            sentAttributes = a.toBuilder().put(OtelNames.DIRECTION, "sent").build();
            recvAttributes = a.toBuilder().put(OtelNames.DIRECTION, "recv").build();
            gaugeAttributes = a;
        }
        return a;
    }

    /** The shared sampler's reading, or null before the recorder is bound. */
    protected final SystemUsage usage() {
        try {
            return systemUsage().sample();
        } catch (IllegalStateException e) {
            return null; // not bound to the coordinator yet
        }
    }

    private TestMetadata currentMetadata() {
        try {
            return metadata();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private void testStarted() {
        try {
            start();
        } catch (TelemetryConfigurationException e) {
            // a worker starts its SDK here, where an exception would only be an event listener's error
            synchronized (lifecycle) {
                failed = true;
            }
            log.error("OpenTelemetry recording is off on this {}: {}", env().runner().role().className(), e.getMessage());
        }
        synchronized (lifecycle) {
            running = true;
        }
        if (events) {
            countEvent(OtelNames.EVENT_TEST_START);
        }
    }

    private void spawningComplete(Events.SpawningComplete e) {
        countEvent(OtelNames.EVENT_SPAWN_COMPLETE);
    }

    private void cpuWarning(Events.CpuWarning w) {
        countEvent(OtelNames.EVENT_CPU_WARNING);
    }

    private void testStopped() {
        synchronized (lifecycle) {
            if (!running) {
                return;
            }
            running = false;
        }
        if (events) {
            countEvent(OtelNames.EVENT_TEST_STOP);
        }
    }

    private void countEvent(String event) {
        LongCounter counter = eventCounter;
        if (counter == null) {
            return;
        }
        AttributesBuilder b = Attributes.builder().put(OtelNames.EVENT, event).put(OtelNames.SOURCE, source)
                .put(OtelNames.SOURCE_ID, env().runner().sourceId());
        TestMetadata md = currentMetadata();
        if (md != null) {
            b.put(OtelNames.RUN_ID, md.runId());
            if (md.testplan() != null) {
                b.put(OtelNames.TESTPLAN, md.testplan());
            }
        }
        counter.add(1, b.build());
    }

    /** Inline on the user's thread: ends the request's span, then records the histogram with it as exemplar. */
    private void onRequest(RequestEvent e) {
        RequestMetrics metrics = requestMetrics;
        if (metrics == null) {
            return;
        }
        OtelRequestTracer t = tracer;
        Context context = Context.root();
        if (t != null) {
            Span span = t.requestEnded(e);
            if (span != null && span.getSpanContext().isSampled()) {
                context = Context.root().with(span);
                slowest.offer(e, span.getSpanContext().getTraceId());
            }
        }
        metrics.record(e, currentMetadata(), source, sourceId, context);
    }

    @Override
    public DeliveryStatus deliveryStatus() {
        OtelPipeline p = pipeline;
        return p == null ? new DeliveryStatus(name(), null, DeliveryStatus.State.WAITING, 0, 0, null)
                : p.tracker().status(name(), p.target(), p.prometheus() != null);
    }

    @Override
    public List<SampledRequest> slowest(Duration window, int limit) {
        return slowest.slowest(window, limit, System.currentTimeMillis());
    }

    /** The CLI's shutdown hook: a test still running gets its {@code test.stop}, then everything recorded is exported. */
    @Override
    public final void flush() {
        OtelPipeline p = pipeline;
        if (p == null || p.isClosed()) {
            return;
        }
        testStopped();
        p.flush(HOOK_FLUSH);
    }

    @Override
    protected final void onClose() {
        testStopped();
        OtelPipeline p;
        synchronized (lifecycle) {
            p = pipeline;
        }
        if (tracer != null && env().tracer() == tracer) {
            env().tracer(null);
        }
        EndpointLimit limit = endpoints;
        if (limit != null && limit.overflowSummary() != null) {
            log.warn(limit.overflowSummary());
        }
        if (p != null) {
            p.close();
        }
        JvmMetrics j = jvm;
        if (j != null) {
            j.close(); // after the final export, which reads its instruments
        }
    }
}
