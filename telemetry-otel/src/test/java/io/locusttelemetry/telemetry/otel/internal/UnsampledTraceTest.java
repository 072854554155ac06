package io.locusttelemetry.telemetry.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.RequestTracer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The traceparent a task that is not sampled propagates, written without the SDK. */
class UnsampledTraceTest {

    @Test
    void traceparentIsWhatTheW3cPropagatorWritesForTheSameIds() {
        OtelRequestTracer.Unsampled u = new OtelRequestTracer.Unsampled(0x0123456789abcdefL, -2L, 0x00000000000000ffL);
        Map<String, String> viaSdk = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(u.context(), viaSdk, Map::put);
        Map<String, String> written = new HashMap<>();
        RequestTracer.HeaderSink sink = written::put;

        sink.traceparent(u.traceHi(), u.traceLo(), u.spanId(), false);

        assertThat(written).containsOnlyKeys("traceparent");
        assertThat(written.get("traceparent")).isEqualTo("00-0123456789abcdeffffffffffffffffe-00000000000000ff-00")
                .isEqualTo(viaSdk.get("traceparent"));
    }

    @Test
    void aSampledTraceparentEndsInFlag01AsTheSdkWritesIt() {
        SpanContext sampled = SpanContext.create(TraceId.fromLongs(-1L, 42L), SpanId.fromLong(Long.MIN_VALUE),
                TraceFlags.getSampled(), TraceState.getDefault());
        Map<String, String> viaSdk = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(Span.wrap(sampled)), viaSdk, Map::put);
        byte[] head = "GET / HTTP/1.1\r\ntraceparent: ".getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = java.util.Arrays.copyOf(head, head.length + RequestTracer.HeaderSink.TRACEPARENT_LENGTH);

        RequestTracer.HeaderSink.writeTraceparent(request, head.length, -1L, 42L, Long.MIN_VALUE, true);

        assertThat(new String(request, head.length, RequestTracer.HeaderSink.TRACEPARENT_LENGTH, StandardCharsets.ISO_8859_1))
                .isEqualTo("00-ffffffffffffffff000000000000002a-8000000000000000-01")
                .isEqualTo(viaSdk.get("traceparent"));
        assertThat(new String(request, 0, head.length, StandardCharsets.ISO_8859_1)).isEqualTo("GET / HTTP/1.1\r\ntraceparent: ");
    }

    @Test
    void aNestedTaskKeepsTheTraceWithANewSpan() {
        OtelRequestTracer.Unsampled root = OtelRequestTracer.Unsampled.root();
        OtelRequestTracer.Unsampled child = root.child();

        assertThat(child.traceHi()).isEqualTo(root.traceHi());
        assertThat(child.traceLo()).isEqualTo(root.traceLo());
        assertThat(child.spanId()).isNotEqualTo(root.spanId()).isNotZero();
        var ctx = Span.fromContext(root.context()).getSpanContext();
        assertThat(ctx.isValid()).isTrue();
        assertThat(ctx.isSampled()).isFalse();
        assertThat(TraceId.isValid(ctx.getTraceId())).isTrue();
        assertThat(SpanId.isValid(ctx.getSpanId())).isTrue();
    }
}
