package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.process.LimitedLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/** A runner's unhandled exceptions, grouped by stack trace as Locust groups them, with the nodes they happened on. */
public final class ExceptionTable {
    private static final class Row {
        final AtomicInteger count = new AtomicInteger();
        final String message;
        final String traceback;
        final Set<String> nodes = ConcurrentHashMap.newKeySet();

        Row(String message, String traceback) {
            this.message = message;
            this.traceback = traceback;
        }
    }

    private final Map<String, Row> rows = new ConcurrentHashMap<>();
    private final LimitedLog userErrors = new LimitedLog(LoggerFactory.getLogger(User.class));

    /**
     * Logs a task's exception: a user that fails on every task would write a line per failure, so
     * repeats of the same error are rate-limited, with their count (the table has them all).
     */
    public void logUserError(String userClass, Throwable cause) {
        String type = cause.getClass().getSimpleName();
        String message = cause.getMessage();
        userErrors.error(type + " in " + userClass + ": " + message, "{} in {}: {}", type, userClass, message);
    }

    /** Writes the counts of the repeats {@link #logUserError} held back. */
    public void flushLog() {
        userErrors.flush();
    }

    public void add(String message, String traceback, String node) {
        String key = traceback == null ? "" : traceback;
        Row r = rows.computeIfAbsent(key, k -> new Row(message, key));
        r.count.incrementAndGet();
        r.nodes.add(node);
    }

    public List<Runner.ExceptionRecord> records() {
        List<Runner.ExceptionRecord> out = new ArrayList<>();
        rows.values().forEach(r -> out.add(new Runner.ExceptionRecord(r.count.get(), r.message, r.traceback, List.copyOf(r.nodes))));
        return out;
    }

    public void clear() {
        rows.clear();
    }
}
