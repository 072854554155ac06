package io.locusttelemetry.engine;

import java.util.function.BiConsumer;

/**
 * The trace context of one request made without the engine's HTTP client (gRPC, Kafka, a database,
 * anything): put it into the request's metadata so that the system under test joins the trace,
 * as the HTTP client does with its headers. Given by {@link User#measure(String, String, User.RequestFunction)}
 * and {@link User#startRequest}; valid until that request is reported.
 *
 * <pre>{@code
 * Item item = measure("grpc", "GetItem", request -> {
 *     Metadata md = new Metadata();
 *     request.inject((key, value) -> md.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value));
 *     return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)).getItem(req);
 * });
 * }</pre>
 */
public interface RequestContext {

    /**
     * The W3C {@code traceparent} of this request (its span, or the trace it propagates without
     * recording it), or null when no tracer is installed.
     */
    String traceparent();

    /**
     * Hands every propagation header of this request to {@code carrier}: {@code traceparent},
     * {@code tracestate} when there is one, {@code baggage} when the tracer adds it. Nothing when
     * no tracer is installed.
     */
    void inject(BiConsumer<String, String> carrier);
}
