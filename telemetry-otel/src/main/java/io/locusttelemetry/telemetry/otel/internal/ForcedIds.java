package io.locusttelemetry.telemetry.otel.internal;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * The SDK's random ids, except for a span started inside {@link #with}: that one gets the ids a
 * request already sent in its {@code traceparent}. Spans kept after the fact (a failed or slow
 * request of a task the head sampler dropped) so carry the very ids the system under test saw.
 */
final class ForcedIds implements IdGenerator {
    static final ForcedIds INSTANCE = new ForcedIds();

    private static final class Next {
        long traceHi;
        long traceLo;
        long spanId;
        boolean set;
    }

    private final ThreadLocal<Next> next = ThreadLocal.withInitial(Next::new);

    private ForcedIds() {}

    /** Runs {@code start} (which starts one span) with these ids. */
    <T> T with(long traceHi, long traceLo, long spanId, java.util.function.Supplier<T> start) {
        Next n = next.get();
        n.traceHi = traceHi;
        n.traceLo = traceLo;
        n.spanId = spanId;
        n.set = true;
        try {
            return start.get();
        } finally {
            n.set = false;
        }
    }

    @Override
    public String generateSpanId() {
        Next n = next.get();
        return n.set ? SpanId.fromLong(n.spanId) : IdGenerator.random().generateSpanId();
    }

    @Override
    public String generateTraceId() {
        Next n = next.get();
        return n.set ? TraceId.fromLongs(n.traceHi, n.traceLo) : IdGenerator.random().generateTraceId();
    }
}
