package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.Runner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
