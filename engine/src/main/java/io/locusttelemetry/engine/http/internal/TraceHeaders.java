package io.locusttelemetry.engine.http.internal;

import io.locusttelemetry.engine.RequestTracer;
import io.locusttelemetry.engine.internal.TraceparentIds;
import java.util.List;

/**
 * Where a tracer puts its headers, made once per session: text headers join the request's
 * headers; a traceparent is kept as its ids and written into the request head without a String.
 */
public final class TraceHeaders implements RequestTracer.HeaderSink {
    private final List<String> names;
    private final List<String> values;
    private final TraceparentIds traceparent = new TraceparentIds();

    /** @param names the request's header names, and {@code values} their values, which {@link #set} adds to */
    public TraceHeaders(List<String> names, List<String> values) {
        this.names = names;
        this.values = values;
    }

    /** Forgets the previous request's traceparent. */
    public void clear() {
        traceparent.clear();
    }

    @Override
    public void set(String name, String value) {
        names.add(name);
        values.add(value);
    }

    @Override
    public void traceparent(long traceIdHigh, long traceIdLow, long parentSpanId, boolean sampled) {
        traceparent.set(traceIdHigh, traceIdLow, parentSpanId, sampled);
    }

    /** The traceparent's value as text, for a protocol that sends headers as strings (HTTP/2), or null. */
    String traceparentValue() {
        if (!traceparent.isSet()) {
            return null;
        }
        byte[] b = new byte[TRACEPARENT_LENGTH];
        traceparent.writeTo(b, 0);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    void writeTo(ByteSink h) {
        if (traceparent.isSet()) {
            h.writeAscii("traceparent: ");
            int at = h.extend(TRACEPARENT_LENGTH);
            traceparent.writeTo(h.array(), at);
            h.crlf();
        }
    }
}
