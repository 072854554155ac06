package io.locusttelemetry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request context of requests made without the HTTP client: what a tracer writes reaches the
 * user's carrier (traceparent as text, the rest as given), the request event carries the tracer's
 * handle, nothing is injected without a tracer, and a context is reported once.
 */
class RequestContextTest {

    /** Records what the engine asks of a tracer, and writes a traceparent and a baggage. */
    static final class FakeTracer implements RequestTracer {
        final List<String> calls = new ArrayList<>();

        @Override
        public Object taskStarted(User user, String taskName) {
            return "task";
        }

        @Override
        public void taskEnded(Object task, Throwable error) {}

        @Override
        public Object requestStarted(Object task, String method, String name, String url, HeaderSink headers) {
            calls.add(method + " " + name + " url=" + url);
            headers.traceparent(0x0123456789abcdefL, 42L, 7L, true);
            headers.set("baggage", "locust.run_id=abc");
            return "span-of-" + name;
        }
    }

    public static class CarrierUser extends User {
        final Map<String, String> metadata = new LinkedHashMap<>();
        String traceparent;

        @Task
        public void call() throws Exception {
            measure("grpc", "Get", request -> {
                traceparent = request.traceparent();
                request.inject(metadata::put);
                return null;
            });
        }
    }

    private static List<RequestEvent> events(Environment env) {
        List<RequestEvent> out = new ArrayList<>();
        env.events().request.addListener(out::add);
        return out;
    }

    @Test
    void theTracersHeadersReachTheCarrierAndItsHandleTheEvent() throws Exception {
        Environment env = Environment.builder().build();
        FakeTracer tracer = new FakeTracer();
        env.tracer(tracer);
        List<RequestEvent> events = events(env);
        CarrierUser user = TestSupport.attach(new CarrierUser(), env, null);

        user.call();
        assertThat(tracer.calls).containsExactly("grpc Get url=null");
        assertThat(user.traceparent).isEqualTo("00-0123456789abcdef000000000000002a-0000000000000007-01");
        assertThat(user.metadata).containsExactly(Map.entry("traceparent", user.traceparent), Map.entry("baggage", "locust.run_id=abc"));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.trace()).isEqualTo("span-of-Get");
            assertThat(e.requestType()).isEqualTo("grpc");
            assertThat(e.isSuccess()).isTrue();
        });

        // the next request starts clean
        user.metadata.clear();
        user.call();
        assertThat(user.metadata).hasSize(2);
    }

    @Test
    void withoutATracerNothingIsInjected() throws Exception {
        Environment env = Environment.builder().build();
        List<RequestEvent> events = events(env);
        CarrierUser user = TestSupport.attach(new CarrierUser(), env, null);
        user.call();
        assertThat(user.traceparent).isNull();
        assertThat(user.metadata).isEmpty();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.trace()).isNull());
    }

    public static class Publisher extends User {
        @Task
        public void publish() {
            RequestContext r = startRequest("kafka", "orders");
            reportRequest(r, 3, 64, "broker down");
            assertThatThrownBy(() -> reportRequest(r, 3, 64, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("report it once");
        }
    }

    @Test
    void aStartedRequestIsReportedOnceWithItsHandle() {
        Environment env = Environment.builder().build();
        env.tracer(new FakeTracer());
        List<RequestEvent> events = events(env);
        TestSupport.attach(new Publisher(), env, null).publish();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("orders");
            assertThat(e.trace()).isEqualTo("span-of-orders");
            assertThat(e.failure().message()).isEqualTo("broker down");
            assertThat(e.responseLength()).isEqualTo(64);
        });
    }
}
