package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.RequestTracer;

/**
 * The ids of a W3C traceparent a tracer handed over, kept as numbers so that the request path
 * writes the header's text straight into its buffer. Reused from request to request.
 */
public final class TraceparentIds {
    private boolean set;
    private boolean sampled;
    private long traceIdHigh;
    private long traceIdLow;
    private long parentSpanId;

    /** Keeps the ids; see {@link RequestTracer.HeaderSink#traceparent(long, long, long, boolean)}. */
    public void set(long traceIdHigh, long traceIdLow, long parentSpanId, boolean sampled) {
        this.traceIdHigh = traceIdHigh;
        this.traceIdLow = traceIdLow;
        this.parentSpanId = parentSpanId;
        this.sampled = sampled;
        set = true;
    }

    /** Forgets the ids. */
    public void clear() {
        set = false;
    }

    /** True when ids were set since the last {@link #clear()}. */
    public boolean isSet() {
        return set;
    }

    /** Writes the header's value ({@link RequestTracer.HeaderSink#TRACEPARENT_LENGTH} bytes) at {@code offset}. */
    public void writeTo(byte[] dst, int offset) {
        RequestTracer.HeaderSink.writeTraceparent(dst, offset, traceIdHigh, traceIdLow, parentSpanId, sampled);
    }
}
