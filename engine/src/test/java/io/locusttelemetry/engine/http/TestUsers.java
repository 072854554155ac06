package io.locusttelemetry.engine.http;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.engine.TestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Users whose HTTP clients a test drives directly, in one environment that keeps their request events. */
final class TestUsers implements AutoCloseable {
    final Environment env = Environment.builder().userClasses(HttpSessionTest.Client.class).build();
    final List<RequestEvent> events = new CopyOnWriteArrayList<>();
    private final List<HttpSessionTest.Client> users = new CopyOnWriteArrayList<>();

    TestUsers() {
        env.events().request.addListener(events::add);
    }

    /** A new user's client, with {@code host} as its host. */
    HttpSession client(String host) {
        HttpSessionTest.Client user = TestSupport.attach(new HttpSessionTest.Client(), env, host);
        users.add(user);
        return user.http();
    }

    /** Closes the users' connections. */
    @Override
    public void close() {
        users.forEach(TestSupport::close);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Runs a request on a thread of its own, which must end within 20 seconds. */
    static <T> T bounded(Supplier<T> request) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), request::get, "the request did not end");
    }
}
