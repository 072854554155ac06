package io.locusttelemetry.engine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users whose constructor failed while a test spawned them. Such a failure is a user error, as a
 * task that raised: it goes to the {@code userError} event (with a null user), hence into the
 * exceptions table, and the other users go on. The log gets one line per class at most every
 * 10 seconds, not one per user.
 */
final class CreationFailures {
    private static final Logger log = LoggerFactory.getLogger(AbstractRunner.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final Map<Class<? extends User>, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<Class<? extends User>, Long> loggedAt = new ConcurrentHashMap<>();

    /** @param failure from {@link UserClasses#newUser}: one line, the constructor's exception as cause */
    void report(Environment environment, Class<? extends User> c, IllegalStateException failure) {
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        int n = counts.computeIfAbsent(c, k -> new AtomicInteger()).incrementAndGet();
        long now = System.nanoTime();
        Long last = loggedAt.get(c);
        if (last == null || now - last > LOG_INTERVAL_NANOS) {
            loggedAt.put(c, now);
            log.error("{}{}", failure.getMessage(), n > 1 ? " (" + n + " users of " + c.getSimpleName() + " so far)" : "");
        }
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        environment.events().userError.fire(new Events.UserError(null, cause, trace.toString()));
    }

    void clear() {
        counts.clear();
        loggedAt.clear();
    }
}
