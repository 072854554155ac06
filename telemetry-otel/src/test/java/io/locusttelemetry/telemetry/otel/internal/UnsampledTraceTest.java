package io.locusttelemetry.telemetry.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
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

        assertThat(u.traceparent()).isEqualTo("00-0123456789abcdeffffffffffffffffe-00000000000000ff-00")
                .isEqualTo(viaSdk.get("traceparent"));
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
