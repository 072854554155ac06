package io.locusttelemetry.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Locust's exceptions table: unhandled user exceptions counted by stack trace, with the nodes they came from. */
final class ExceptionTable {
    private final Map<String, Row> rows = new ConcurrentHashMap<>();

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

    void add(String message, String traceback, String node) {
        Row row = rows.computeIfAbsent(traceback, k -> new Row(message, traceback));
        row.count.incrementAndGet();
        row.nodes.add(node);
    }

    List<Runner.ExceptionRecord> records() {
        List<Runner.ExceptionRecord> out = new ArrayList<>();
        rows.values().forEach(r -> out.add(new Runner.ExceptionRecord(r.count.get(), r.message, r.traceback, List.copyOf(r.nodes))));
        return out;
    }

    void clear() {
        rows.clear();
    }
}
