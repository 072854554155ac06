package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.engine.RequestTracer.HeaderSink;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The tasks the head sampler dropped: each costs no SDK span and no object while it runs (it is a
 * reused frame of its user thread's {@link Trail}, holding the ids its requests propagate), and is
 * kept after all when one of its requests failed
 * ({@code --lt-otel-traces-keep-errors}) or was slower than {@code --lt-otel-traces-slow-ms}. Such a
 * task costs no SDK span while it runs: it holds its ids, and each of its requests is noted in a
 * slot of its user thread's {@link Trail} (reused, so nothing is allocated per request). When a
 * request turns out interesting its span is exported at once, with the ids its {@code traceparent}
 * already carried (so the request histograms' exemplars point at it); when the task ends, its own
 * span and those of its other requests follow, and its parent tasks' spans as they end. The
 * {@code traceparent} sent keeps the head decision (not sampled): the system under test samples as
 * it would have.
 */
final class KeptTraces {
    private static final int SLOTS = 64;
    private static final int FRAMES = 16;

    /** A dropped task, until it ends; one of its thread's {@link Trail#frames}, reused by the thread's later tasks. */
    static final class KeptTask {
        long traceHi;
        long traceLo;
        long spanId;
        KeptTask parent;
        String name;
        User user;
        long startNanos;
        int firstSlot;
        /** Its place in the thread's frames, or -1 when it is not one of them (nested deeper than they go). */
        int depth;
        String keptFor;
        boolean failed;

        KeptTask set(long traceHi, long traceLo, long spanId, KeptTask parent, String name, User user, long startNanos, int firstSlot) {
            this.traceHi = traceHi;
            this.traceLo = traceLo;
            this.spanId = spanId;
            this.parent = parent;
            this.name = name;
            this.user = user;
            this.startNanos = startNanos;
            this.firstSlot = firstSlot;
            this.keptFor = null;
            this.failed = false;
            return this;
        }
    }

    /** One request of a dropped task: reused by the thread's later requests. */
    static final class Slot {
        KeptTask task;
        long traceHi;
        long traceLo;
        long spanId;
        long startNanos;
        long endNanos;
        String method;
        String name;
        String url;
        RequestEvent event;
        boolean open;
        boolean exported;
    }

    /** The slots and task frames of one user thread: stacks that a task's end cuts back to where it began. */
    static final class Trail {
        final Slot[] slots = new Slot[SLOTS];
        final KeptTask[] frames = new KeptTask[FRAMES];
        int size;
        int depth;

        /** The next task frame, or a new object when tasks nest deeper than the frames go. */
        KeptTask frame() {
            if (depth >= FRAMES) {
                KeptTask t = new KeptTask();
                t.depth = -1;
                return t;
            }
            KeptTask t = frames[depth];
            if (t == null) {
                t = new KeptTask();
                frames[depth] = t;
            }
            t.depth = depth++;
            return t;
        }

        Trail() {
            for (int i = 0; i < SLOTS; i++) {
                slots[i] = new Slot();
            }
        }
    }

    private final Tracer tracer;
    private final SpanNames names;
    private final TraceOptions options;
    private final Supplier<TestMetadata> metadata;
    private final ThreadLocal<Trail> trails = ThreadLocal.withInitial(Trail::new);
    private final long epochBase = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    private final long nanoBase = System.nanoTime();

    KeptTraces(Tracer tracer, SpanNames names, TraceOptions options, Supplier<TestMetadata> metadata) {
        this.tracer = tracer;
        this.names = names;
        this.options = options;
        this.metadata = metadata;
    }

    private long now() {
        return epochBase + (System.nanoTime() - nanoBase);
    }

    KeptTask rootTask(User user, String taskName) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        Trail t = trails.get();
        return t.frame().set(r.nextLong(), nonZero(r), nonZero(r), null, taskName, user, now(), t.size);
    }

    KeptTask childTask(KeptTask outer, User user, String taskName) {
        Trail t = trails.get();
        return t.frame().set(outer.traceHi, outer.traceLo, nonZero(ThreadLocalRandom.current()), outer, taskName, user, now(), t.size);
    }

    /**
     * Notes a request of a dropped task (or of none) and propagates its ids, flagged not sampled.
     * Returns its slot, or null when full or when nothing is kept (the ids then name the task's span).
     */
    Slot requestStarted(KeptTask task, String method, String name, String url, HeaderSink headers) {
        if (!options.keeps()) {
            if (headers != null) {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                headers.traceparent(task != null ? task.traceHi : r.nextLong(), task != null ? task.traceLo : nonZero(r),
                        task != null ? task.spanId : nonZero(r), false);
            }
            return null;
        }
        Slot s = take(task);
        long hi = s == null ? (task != null ? task.traceHi : ThreadLocalRandom.current().nextLong()) : s.traceHi;
        long lo = s == null ? (task != null ? task.traceLo : nonZero(ThreadLocalRandom.current())) : s.traceLo;
        long id = s == null ? nonZero(ThreadLocalRandom.current()) : s.spanId;
        if (headers != null) {
            headers.traceparent(hi, lo, id, false);
        }
        if (s != null) {
            s.method = method;
            s.name = name;
            s.url = url;
            s.startNanos = now();
        }
        return s;
    }

    private Slot take(KeptTask task) {
        Trail t = trails.get();
        if (t.size >= SLOTS) {
            return null;
        }
        Slot s = t.slots[t.size++];
        ThreadLocalRandom r = ThreadLocalRandom.current();
        s.task = task;
        s.traceHi = task != null ? task.traceHi : r.nextLong();
        s.traceLo = task != null ? task.traceLo : nonZero(r);
        s.spanId = nonZero(r);
        s.event = null;
        s.exported = false;
        s.open = true;
        return s;
    }

    /** The request of {@code slot} ended: exported now if it failed or was slow. Returns its span then, else null. */
    Span requestEnded(Slot slot, RequestEvent e) {
        if (!slot.open) {
            return null; // its task ended before the request was reported
        }
        slot.endNanos = now();
        slot.event = e;
        return keepIfInteresting(slot, e);
    }

    /** A request reported after the fact ({@code reportRequest}) in a dropped task, or outside any. */
    Span requestReported(KeptTask task, RequestEvent e) {
        if (!options.keeps()) {
            return null;
        }
        Slot s = take(task);
        if (s == null) {
            return null;
        }
        double ms = e.responseTime() >= 0 ? e.responseTime() : 0;
        s.method = e.requestType();
        s.name = e.name();
        s.url = e.url();
        s.startNanos = TimeUnit.MILLISECONDS.toNanos(e.startTime());
        s.endNanos = s.startNanos + Math.round(ms * 1e6);
        s.event = e;
        return keepIfInteresting(s, e);
    }

    private Span keepIfInteresting(Slot s, RequestEvent e) {
        String why = e.failure() != null && options.keepErrors() ? "error"
                : options.slowMillis() >= 0 && e.responseTime() > options.slowMillis() ? "slow" : null;
        if (e.failure() != null && s.task != null) {
            s.task.failed = true;
        }
        Span span = null;
        if (why != null) {
            span = exportRequest(s, why);
            for (KeptTask t = s.task; t != null && t.keptFor == null; t = t.parent) {
                t.keptFor = why;
            }
        }
        if (s.task == null) {
            release(s);
        }
        return span;
    }

    /** The task ended: with a reason to keep it, its span and its requests' are exported. */
    void taskEnded(KeptTask task, Throwable error) {
        if (error != null && options.keepErrors() && task.keptFor == null) {
            for (KeptTask t = task; t != null && t.keptFor == null; t = t.parent) {
                t.keptFor = "error";
            }
        }
        Trail trail = trails.get();
        int end = Math.min(trail.size, SLOTS);
        if (task.keptFor != null) {
            for (int i = task.firstSlot; i < end; i++) {
                Slot s = trail.slots[i];
                if (s.task == task && s.event != null && !s.exported) {
                    exportRequest(s, null);
                }
            }
            exportTask(task, error);
        }
        for (int i = task.firstSlot; i < end; i++) {
            trail.slots[i].open = false;
            trail.slots[i].event = null;
        }
        trail.size = Math.min(trail.size, task.firstSlot);
        if (task.depth >= 0) {
            trail.depth = task.depth;
        }
        task.user = null;
        task.parent = null;
    }

    private void release(Slot s) {
        Trail trail = trails.get();
        s.open = false;
        s.event = null;
        if (trail.size > 0 && trail.slots[trail.size - 1] == s) {
            trail.size--;
        }
    }

    private Span exportRequest(Slot s, String why) {
        RequestEvent e = s.event;
        SpanBuilder b = tracer.spanBuilder(names.request(s.method, s.name)).setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(s.startNanos, TimeUnit.NANOSECONDS);
        parent(b, s.traceHi, s.traceLo, s.task == null ? 0 : s.task.spanId);
        Span span = ForcedIds.INSTANCE.with(s.traceHi, s.traceLo, s.spanId, b::startSpan);
        SpanAttributes.request(span, s.method, s.name, s.url, metadata.get());
        if (why != null) {
            span.setAttribute(OtelNames.LOCUST_KEPT, why);
        }
        SpanAttributes.outcome(span, e);
        span.end(s.endNanos, TimeUnit.NANOSECONDS);
        s.exported = true;
        return span;
    }

    private void exportTask(KeptTask task, Throwable error) {
        SpanBuilder b = tracer.spanBuilder(names.task(task.name)).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(task.startNanos, TimeUnit.NANOSECONDS);
        parent(b, task.traceHi, task.traceLo, task.parent == null ? 0 : task.parent.spanId);
        Span span = ForcedIds.INSTANCE.with(task.traceHi, task.traceLo, task.spanId, b::startSpan);
        span.setAttribute(OtelNames.LOCUST_TASK_NAME, task.name);
        if (task.user != null) {
            span.setAttribute(OtelNames.LOCUST_USER_CLASS, task.user.getClass().getSimpleName());
        }
        span.setAttribute(OtelNames.LOCUST_KEPT, task.keptFor);
        SpanAttributes.run(span, metadata.get());
        if (error != null) {
            SpanAttributes.taskError(span, error);
        } else if (task.failed) {
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, "a request failed");
        }
        span.end(now(), TimeUnit.NANOSECONDS);
    }

    /** A sampled parent (so the SDK's parent-based sampler keeps the span), or none. */
    private static void parent(SpanBuilder b, long traceHi, long traceLo, long parentSpanId) {
        if (parentSpanId == 0) {
            b.setNoParent();
        } else {
            b.setParent(Context.root().with(Span.wrap(SpanContext.create(TraceId.fromLongs(traceHi, traceLo),
                    SpanId.fromLong(parentSpanId), TraceFlags.getSampled(), TraceState.getDefault()))));
        }
    }

    private static long nonZero(ThreadLocalRandom r) {
        long v;
        do {
            v = r.nextLong();
        } while (v == 0);
        return v;
    }
}
