package io.locusttelemetry.telemetry.otel.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Span names, made once per name: {@code task <UserClass>.<method>} for tasks and
 * {@code <METHOD> <request name>} for requests, where the request name is capped as the metrics'
 * {@code endpoint} is ({@link EndpointLimit}): a name past the limit gives {@code <METHOD> other}, so
 * span names stay as few as the endpoints however many names a test makes.
 */
final class SpanNames {
    private static final int MAX_CACHED_NAMES = 10_000;

    private final EndpointLimit limit;
    private final ConcurrentHashMap<String, String> taskNames = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> requestNames = new ConcurrentHashMap<>();

    SpanNames(EndpointLimit limit) {
        this.limit = limit;
    }

    String task(String taskName) {
        String n = taskName == null ? "" : taskName;
        String cached = taskNames.get(n);
        if (cached != null) {
            return cached;
        }
        String name = "task " + n;
        if (taskNames.size() < MAX_CACHED_NAMES) {
            taskNames.putIfAbsent(n, name);
        }
        return name;
    }

    String request(String method, String requestName) {
        String m = method == null ? "" : method;
        String n = requestName == null ? "" : requestName;
        ConcurrentHashMap<String, String> byName = requestNames.get(m);
        if (byName == null) {
            byName = requestNames.computeIfAbsent(m, k -> new ConcurrentHashMap<>());
        }
        String cached = byName.get(n);
        if (cached != null) {
            return cached;
        }
        String shown = limit.admit(n) ? n : OtelNames.OTHER_ENDPOINT;
        String name = m.isEmpty() ? shown : m + " " + shown;
        if (byName.size() < MAX_CACHED_NAMES) {
            byName.putIfAbsent(n, name);
        }
        return name;
    }
}
