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
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Traces task executions and requests: one INTERNAL span per task ({@code task <UserClass>.<method>}),
 * and as its child one CLIENT span per request ({@code <METHOD> <request name>}), whose W3C
 * {@code traceparent} (and {@code tracestate}) goes into the outgoing request. The handle returned
 * by {@link #requestStarted} is the request span; {@link #requestEnded} ends it from the request
 * event. Attributes are set only on sampled (recording) spans.
 *
 * <p>Requests reported without the HTTP client ({@code reportRequest}, {@code measure}) get their
 * span after the fact, with the reported start time and duration, under the running task's span.
 */
public final class OtelRequestTracer implements RequestTracer {
    private static final TextMapSetter<HeaderSink> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.set(key, value);
        }
    };
    private static final int MAX_CACHED_NAMES = 10_000;
    private static final String TRACEPARENT = "traceparent";
    private static final Set<String> W3C_FIELDS = Set.of(TRACEPARENT, "tracestate", "baggage");

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean parentBased;
    private final Supplier<TestMetadata> metadata;
    private final double rootRatio;
    private final boolean ownSampling;
    private final boolean w3cOnly;
    private final ConcurrentHashMap<String, String> taskSpanNames = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> requestSpanNames = new ConcurrentHashMap<>();
    /** Parsed once per URL: a load test requests the same few URLs, and each parse is a dozen substrings. */
    private final ConcurrentHashMap<String, UrlParts> urlParts = new ConcurrentHashMap<>();

    /**
     * @param parentBased whether the sampler follows the parent's decision (the default
     *                    {@code parentbased_traceidratio} does): then a request under a task that is
     *                    not sampled gets no span of its own, and the task's context is propagated
     * @param rootRatio   the fraction of root tasks to trace, decided here so that a task that is not
     *                    sampled costs no SDK span (the SDK's sampler must then follow the parent and
     *                    sample every root it is asked for); NaN leaves every decision to the SDK
     */
    public OtelRequestTracer(Tracer tracer, TextMapPropagator propagator, boolean parentBased, double rootRatio,
            Supplier<TestMetadata> metadata) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.parentBased = parentBased;
        this.metadata = metadata;
        this.rootRatio = rootRatio;
        this.ownSampling = !Double.isNaN(rootRatio);
        Collection<String> fields = propagator.fields();
        this.w3cOnly = fields.contains(TRACEPARENT) && W3C_FIELDS.containsAll(fields);
    }

    /**
     * A task (or a request outside any task) that is not sampled: only the ids it propagates, so
     * the system under test still sees the trace, flagged as not sampled.
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
    }

    @Override
    public Object taskStarted(User user, String taskName) {
        Object outerTask = user == null ? null : user.currentTaskTrace();
        if (outerTask instanceof Unsampled outer) {
            return outer.child();
        }
        if (ownSampling && !(outerTask instanceof Span) && !sampleRoot()) {
            return Unsampled.root();
        }
        SpanBuilder b = tracer.spanBuilder(taskSpanName(taskName)).setSpanKind(SpanKind.INTERNAL);
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
            runAttributes(span);
        }
        return span;
    }

    @Override
    public void taskEnded(Object task, Throwable error) {
        if (task instanceof Span span) {
            if (error != null && span.isRecording()) {
                span.setAttribute(OtelNames.ERROR_TYPE, error.getClass().getName());
                span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
                span.recordException(error);
            }
            span.end();
        }
    }

    @Override
    public Object requestStarted(Object task, String method, String name, String url, HeaderSink headers) {
        if (task instanceof Unsampled u) {
            propagate(u.traceHi(), u.traceLo(), u.spanId(), headers);
            return null;
        }
        if (ownSampling && !(task instanceof Span) && !sampleRoot()) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            propagate(r.nextLong(), Unsampled.nonZero(r), Unsampled.nonZero(r), headers);
            return null;
        }
        if (parentBased && task instanceof Span parent && !parent.getSpanContext().isSampled()) {
            // its span would never be recorded: the system under test gets the (not sampled) trace of the task
            if (headers != null) {
                propagator.inject(Context.root().with(parent), headers, SETTER);
            }
            return null;
        }
        Span span = tracer.spanBuilder(requestSpanName(method, name)).setSpanKind(SpanKind.CLIENT)
                .setParent(task instanceof Span parent ? Context.root().with(parent) : Context.root())
                .startSpan();
        if (span.isRecording()) {
            requestAttributes(span, method, name, url);
        }
        if (headers != null) {
            propagator.inject(Context.root().with(span), headers, SETTER);
        }
        return span;
    }

    /**
     * Ends the request's span from its event (status code, error) and returns it, or returns null
     * when the request has no span. Runs on the user's thread.
     */
    public Span requestEnded(RequestEvent e) {
        Span span;
        if (e.trace() instanceof Span s) {
            span = s;
        } else if (e.trace() == null && e.user() != null) {
            span = spanAfterTheFact(e);
            if (span == null) {
                return null;
            }
        } else {
            return null;
        }
        if (span.isRecording()) {
            if (e.statusCode() > 0) {
                span.setAttribute(OtelNames.HTTP_RESPONSE_STATUS_CODE, (long) e.statusCode());
            }
            if (e.user() != null) {
                span.setAttribute(OtelNames.LOCUST_USER_CLASS, e.user().getClass().getSimpleName());
            }
            RequestEvent.Failure failure = e.failure();
            if (failure != null) {
                span.setAttribute(OtelNames.ERROR_TYPE, failure.type() == null || failure.type().isEmpty()
                        ? OtelNames.OTHER_ERROR_TYPE : failure.type());
                span.setStatus(StatusCode.ERROR, failure.message());
            }
        }
        if (e.trace() == null) {
            double ms = e.responseTime() >= 0 ? e.responseTime() : 0;
            span.end(TimeUnit.MICROSECONDS.toNanos(e.startTime() * 1000 + Math.round(ms * 1000)), TimeUnit.NANOSECONDS);
        } else {
            span.end();
        }
        return span;
    }

    /** A span for a request reported without the HTTP client; none under a task that is not sampled. */
    private Span spanAfterTheFact(RequestEvent e) {
        Object task = e.user().currentTaskTrace();
        if (task instanceof Unsampled || task instanceof Span parent && !parent.getSpanContext().isSampled()) {
            return null;
        }
        if (ownSampling && !(task instanceof Span) && !sampleRoot()) {
            return null;
        }
        Span span = tracer.spanBuilder(requestSpanName(e.requestType(), e.name())).setSpanKind(SpanKind.CLIENT)
                .setParent(task instanceof Span parent ? Context.root().with(parent) : Context.root())
                .setStartTimestamp(e.startTime(), TimeUnit.MILLISECONDS)
                .startSpan();
        if (span.isRecording()) {
            requestAttributes(span, e.requestType(), e.name(), e.url());
        }
        return span;
    }

    private void requestAttributes(Span span, String method, String name, String url) {
        if (method != null) {
            span.setAttribute(OtelNames.HTTP_REQUEST_METHOD, method);
        }
        span.setAttribute(OtelNames.LOCUST_REQUEST_NAME, name);
        if (url != null) {
            UrlParts u = urlParts(url);
            span.setAttribute(OtelNames.URL_FULL, u.redacted());
            if (u.host() != null) {
                span.setAttribute(OtelNames.SERVER_ADDRESS, u.host());
            }
            if (u.port() > 0) {
                span.setAttribute(OtelNames.SERVER_PORT, (long) u.port());
            }
        }
        runAttributes(span);
    }

    private void runAttributes(Span span) {
        TestMetadata md = metadata.get();
        if (md != null) {
            span.setAttribute(OtelNames.RUN_ID, md.runId());
            if (md.testplan() != null) {
                span.setAttribute(OtelNames.TESTPLAN, md.testplan());
            }
        }
    }

    private String taskSpanName(String taskName) {
        String n = taskName == null ? "" : taskName;
        String cached = taskSpanNames.get(n);
        if (cached != null) {
            return cached;
        }
        String name = "task " + n;
        if (taskSpanNames.size() < MAX_CACHED_NAMES) {
            taskSpanNames.putIfAbsent(n, name);
        }
        return name;
    }

    private String requestSpanName(String method, String requestName) {
        String m = method == null ? "" : method;
        String n = requestName == null ? "" : requestName;
        ConcurrentHashMap<String, String> byName = requestSpanNames.get(m);
        if (byName == null) {
            byName = requestSpanNames.computeIfAbsent(m, k -> new ConcurrentHashMap<>());
        }
        String cached = byName.get(n);
        if (cached != null) {
            return cached;
        }
        String name = m.isEmpty() ? n : m + " " + n;
        if (byName.size() < MAX_CACHED_NAMES) {
            byName.putIfAbsent(n, name);
        }
        return name;
    }

    private UrlParts urlParts(String url) {
        UrlParts cached = urlParts.get(url);
        if (cached != null) {
            return cached;
        }
        UrlParts parsed = UrlParts.parse(url);
        if (urlParts.size() < MAX_CACHED_NAMES) {
            urlParts.putIfAbsent(url, parsed);
        }
        return parsed;
    }

    /** Host, port and the URL without credentials, as the semantic conventions want {@code url.full}. */
    record UrlParts(String redacted, String host, int port) {
        static UrlParts parse(String url) {
            int schemeEnd = url.indexOf("://");
            if (schemeEnd < 0) {
                return new UrlParts(url, null, -1);
            }
            String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            int start = schemeEnd + 3;
            int end = start;
            while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
                end++;
            }
            String authority = url.substring(start, end);
            // the semantic conventions' form of a URL without its credentials
            String redacted = UrlRedaction.redact(url, "REDACTED:REDACTED");
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                authority = authority.substring(at + 1);
            }
            String host;
            int port = -1;
            if (authority.startsWith("[")) {
                int close = authority.indexOf(']');
                host = close > 0 ? authority.substring(1, close) : authority;
                if (close > 0 && close + 1 < authority.length() && authority.charAt(close + 1) == ':') {
                    port = parsePort(authority.substring(close + 2));
                }
            } else {
                int colon = authority.lastIndexOf(':');
                host = colon >= 0 ? authority.substring(0, colon) : authority;
                if (colon >= 0) {
                    port = parsePort(authority.substring(colon + 1));
                }
            }
            if (port < 0) {
                port = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
            }
            return new UrlParts(redacted, host.isEmpty() ? null : host, port);
        }

        private static int parsePort(String s) {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
