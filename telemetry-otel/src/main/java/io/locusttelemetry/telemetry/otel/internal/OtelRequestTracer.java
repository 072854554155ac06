package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.engine.RequestTracer;
import io.locusttelemetry.engine.UrlRedaction;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.telemetry.TestMetadata;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Traces task executions and requests: one INTERNAL span per task ({@code task <UserClass>.<method>}),
 * and as its child one CLIENT span per request ({@code <METHOD> <request name>}, the name capped as
 * the metrics' endpoints are), whose W3C {@code traceparent} (and {@code tracestate}, and with
 * {@code --lt-otel-baggage} a {@code baggage}) goes into the outgoing request: an HTTP request's
 * headers, or the metadata of any other call through its {@link io.locusttelemetry.engine.RequestContext}.
 * The handle returned by {@link #requestStarted} is the request span; {@link #requestEnded} ends it
 * from the request event. Attributes are set only on sampled (recording) spans ({@link SpanAttributes}).
 *
 * <p>Requests reported after the fact ({@code reportRequest}) get their span with the reported start
 * time and duration, under the running task's span. Tasks the head sampler drops cost no SDK span;
 * with {@code --lt-otel-traces-keep-errors} or {@code --lt-otel-traces-slow-ms} their spans are
 * exported after all when a request failed or was slow ({@link KeptTraces}).
 */
public final class OtelRequestTracer implements RequestTracer {
    private static final TextMapSetter<HeaderSink> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.set(key, value);
        }
    };
    private static final String TRACEPARENT = "traceparent";
    private static final Set<String> W3C_FIELDS = Set.of(TRACEPARENT, "tracestate", "baggage");

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean parentBased;
    private final Supplier<TestMetadata> metadata;
    private final double rootRatio;
    private final boolean ownSampling;
    private final boolean w3cOnly;
    private final SpanNames names;
    private final KeptTraces kept;
    private final BaggageHeader baggage;

    /**
     * @param parentBased whether the sampler follows the parent's decision (the default
     *                    {@code parentbased_traceidratio} does): then a request under a task that is
     *                    not sampled gets no span of its own, and the task's context is propagated
     * @param rootRatio   the fraction of root tasks to trace, decided here so that a task that is not
     *                    sampled costs no SDK span (the SDK's sampler must then follow the parent and
     *                    sample every root it is asked for); NaN leaves every decision to the SDK
     */
    public OtelRequestTracer(Tracer tracer, TextMapPropagator propagator, boolean parentBased, double rootRatio,
            Supplier<TestMetadata> metadata, EndpointLimit endpoints, TraceOptions options) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.parentBased = parentBased;
        this.metadata = metadata;
        this.rootRatio = rootRatio;
        this.ownSampling = !Double.isNaN(rootRatio);
        Collection<String> fields = propagator.fields();
        this.w3cOnly = fields.contains(TRACEPARENT) && W3C_FIELDS.containsAll(fields);
        this.names = new SpanNames(endpoints);
        // the dropped tasks are reused frames when this tracer samples: no object per task
        this.kept = ownSampling ? new KeptTraces(tracer, names, options, metadata) : null;
        this.baggage = options.baggage() ? new BaggageHeader() : null;
    }

    /**
     * A task that is not sampled when the SDK's own sampler decides (a sampler this tracer cannot
     * decide for): only the ids it propagates, so the system under test still sees the trace,
     * flagged as not sampled.
     */
    record Unsampled(long traceHi, long traceLo, long spanId) {
        static Unsampled root() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            return new Unsampled(r.nextLong(), nonZero(r), nonZero(r));
        }

        Unsampled child() {
            return new Unsampled(traceHi, traceLo, nonZero(ThreadLocalRandom.current()));
        }

        static long nonZero(ThreadLocalRandom r) {
            long v;
            do {
                v = r.nextLong();
            } while (v == 0);
            return v;
        }

        Context context() {
            return Context.root().with(Span.wrap(SpanContext.create(TraceId.fromLongs(traceHi, traceLo), SpanId.fromLong(spanId),
                    TraceFlags.getDefault(), TraceState.getDefault())));
        }
    }

    /** Whether a new root trace is sampled, when this tracer decides. */
    private boolean sampleRoot() {
        return rootRatio >= 1 || (rootRatio > 0 && ThreadLocalRandom.current().nextDouble() < rootRatio);
    }

    /** Propagates a trace that is not sampled; with only W3C propagators, without an object per request. */
    private void propagate(long traceHi, long traceLo, long parentId, HeaderSink headers) {
        if (headers == null) {
            return;
        }
        if (w3cOnly) {
            headers.traceparent(traceHi, traceLo, parentId, false);
        } else {
            propagator.inject(new Unsampled(traceHi, traceLo, parentId).context(), headers, SETTER);
        }
        baggage(headers);
    }

    private void baggage(HeaderSink headers) {
        if (baggage != null && headers != null) {
            String v = baggage.value(metadata.get());
            if (v != null) {
                headers.set(BaggageHeader.NAME, v);
            }
        }
    }

    @Override
    public Object taskStarted(User user, String taskName) {
        Object outerTask = user == null ? null : user.currentTaskTrace();
        if (outerTask instanceof Unsampled outer) {
            return outer.child();
        }
        if (outerTask instanceof KeptTraces.KeptTask outer) {
            return kept.childTask(outer, user, taskName);
        }
        if (ownSampling && !(outerTask instanceof Span) && !sampleRoot()) {
            return kept.rootTask(user, taskName);
        }
        SpanBuilder b = tracer.spanBuilder(names.task(taskName)).setSpanKind(SpanKind.INTERNAL);
        if (outerTask instanceof Span outer) {
            b.setParent(Context.root().with(outer));
        } else {
            b.setNoParent();
        }
        Span span = b.startSpan();
        if (span.isRecording()) {
            span.setAttribute(OtelNames.LOCUST_TASK_NAME, taskName);
            if (user != null) {
                span.setAttribute(OtelNames.LOCUST_USER_CLASS, user.getClass().getSimpleName());
            }
            SpanAttributes.run(span, metadata.get());
        }
        return span;
    }

    @Override
    public void taskEnded(Object task, Throwable error) {
        if (task instanceof Span span) {
            if (error != null) {
                SpanAttributes.taskError(span, error);
            }
            span.end();
        } else if (task instanceof KeptTraces.KeptTask k) {
            kept.taskEnded(k, error);
        }
    }

    @Override
    public Object requestStarted(Object task, String method, String name, String url, HeaderSink headers) {
        if (task instanceof Unsampled u) {
            propagate(u.traceHi(), u.traceLo(), u.spanId(), headers);
            return null;
        }
        if (task instanceof KeptTraces.KeptTask k) {
            Object slot = kept.requestStarted(k, method, name, url, headers);
            baggage(headers);
            return slot;
        }
        if (ownSampling && !(task instanceof Span) && !sampleRoot()) {
            Object slot = kept.requestStarted(null, method, name, url, headers);
            baggage(headers);
            return slot;
        }
        if (parentBased && task instanceof Span parent && !parent.getSpanContext().isSampled()) {
            // its span would never be recorded: the system under test gets the (not sampled) trace of the task
            if (headers != null) {
                propagator.inject(Context.root().with(parent), headers, SETTER);
                baggage(headers);
            }
            return null;
        }
        Span span = tracer.spanBuilder(names.request(method, name)).setSpanKind(SpanKind.CLIENT)
                .setParent(task instanceof Span parent ? Context.root().with(parent) : Context.root())
                .startSpan();
        if (span.isRecording()) {
            SpanAttributes.request(span, method, name, url, metadata.get());
        }
        if (headers != null) {
            propagator.inject(Context.root().with(span), headers, SETTER);
            baggage(headers);
        }
        return span;
    }

    /**
     * Ends the request's span from its event (status code, error) and returns it, or returns null
     * when the request has no span. Runs on the user's thread.
     */
    public Span requestEnded(RequestEvent e) {
        Object trace = e.trace();
        if (trace instanceof KeptTraces.Slot slot) {
            return kept.requestEnded(slot, e);
        }
        Span span;
        if (trace instanceof Span s) {
            span = s;
        } else if (trace == null && e.user() != null) {
            span = spanAfterTheFact(e);
            if (span == null) {
                return null;
            }
        } else {
            return null;
        }
        SpanAttributes.outcome(span, e);
        if (e.failure() != null && e.user() != null && e.user().currentTaskTrace() instanceof Span task) {
            SpanAttributes.taskFailedBy(task, names.request(e.requestType(), e.name()));
        }
        if (trace == null) {
            double ms = e.responseTime() >= 0 ? e.responseTime() : 0;
            span.end(TimeUnit.MICROSECONDS.toNanos(e.startTime() * 1000 + Math.round(ms * 1000)), TimeUnit.NANOSECONDS);
        } else {
            span.end();
        }
        return span;
    }

    /** A span for a request reported without the HTTP client; none under a task that is not sampled (unless kept). */
    private Span spanAfterTheFact(RequestEvent e) {
        Object task = e.user().currentTaskTrace();
        if (task instanceof KeptTraces.KeptTask k) {
            return kept.requestReported(k, e);
        }
        if (task instanceof Unsampled || task instanceof Span parent && !parent.getSpanContext().isSampled()) {
            return null;
        }
        if (ownSampling && !(task instanceof Span) && !sampleRoot()) {
            return kept.requestReported(null, e);
        }
        Span span = tracer.spanBuilder(names.request(e.requestType(), e.name())).setSpanKind(SpanKind.CLIENT)
                .setParent(task instanceof Span parent ? Context.root().with(parent) : Context.root())
                .setStartTimestamp(e.startTime(), TimeUnit.MILLISECONDS)
                .startSpan();
        if (span.isRecording()) {
            SpanAttributes.request(span, e.requestType(), e.name(), e.url(), metadata.get());
        }
        return span;
    }
}
