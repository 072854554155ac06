package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.RequestContext;
import io.locusttelemetry.engine.RequestTracer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * The {@link RequestContext} of a request made without the HTTP client: receives the tracer's
 * headers as the HTTP client would ({@code traceparent} as its ids, other headers as text) and
 * hands them to the user's carrier. A user reuses one between its requests, so it costs nothing
 * per request when tracing is off and no object beyond the tracer's when it is on.
 */
public final class RequestCarrier implements RequestContext, RequestTracer.HeaderSink {
    private static final int MAX_HEADERS = 8;

    private final String[] names = new String[MAX_HEADERS];
    private final String[] values = new String[MAX_HEADERS];
    private int headers;
    private final TraceparentIds ids = new TraceparentIds();
    private Object trace;
    private boolean inUse;
    private String requestType;
    private String name;

    /** Takes this carrier for a request; false when it is already taken (a request inside another's action). */
    public boolean acquire() {
        if (inUse) {
            return false;
        }
        inUse = true;
        return true;
    }

    /** Forgets the request's headers and frees the carrier for the next request. */
    public void release() {
        for (int i = 0; i < headers; i++) {
            names[i] = null;
            values[i] = null;
        }
        headers = 0;
        ids.clear();
        trace = null;
        requestType = null;
        name = null;
        inUse = false;
    }

    /** The request this carrier is taken for. */
    public void request(String requestType, String name) {
        this.requestType = requestType;
        this.name = name;
    }

    public String requestType() {
        return requestType;
    }

    /** The request's name, or null when the carrier is free. */
    public String name() {
        return name;
    }

    /** The tracer's handle of this request (its span), for the request event. */
    public Object trace() {
        return trace;
    }

    public void trace(Object trace) {
        this.trace = trace;
    }

    @Override
    public void set(String name, String value) {
        for (int i = 0; i < headers; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                values[i] = value;
                return;
            }
        }
        if (headers < MAX_HEADERS) {
            names[headers] = name;
            values[headers] = value;
            headers++;
        }
    }

    @Override
    public void traceparent(long traceIdHigh, long traceIdLow, long parentSpanId, boolean sampled) {
        ids.set(traceIdHigh, traceIdLow, parentSpanId, sampled);
    }

    @Override
    public String traceparent() {
        if (ids.isSet()) {
            byte[] text = new byte[TRACEPARENT_LENGTH];
            ids.writeTo(text, 0);
            return new String(text, StandardCharsets.ISO_8859_1);
        }
        for (int i = 0; i < headers; i++) {
            if (names[i].equalsIgnoreCase("traceparent")) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public void inject(BiConsumer<String, String> carrier) {
        if (ids.isSet()) {
            carrier.accept("traceparent", traceparent());
        }
        for (int i = 0; i < headers; i++) {
            carrier.accept(names[i], values[i]);
        }
    }

    @Override
    public String toString() {
        String tp = traceparent();
        return tp == null ? "RequestContext[no trace]" : "RequestContext[" + tp + "]";
    }
}
