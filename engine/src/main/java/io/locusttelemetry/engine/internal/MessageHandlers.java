package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.process.LimitedLog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner's custom message handlers: several per type, run in the order they were registered; one
 * that throws is logged (rate-limited: a peer decides how often a message arrives) and does not
 * stop the others.
 */
public final class MessageHandlers {
    private static final Logger log = LoggerFactory.getLogger("io.locusttelemetry.engine.AbstractRunner");

    private final Map<String, List<CustomMessage.Handler>> byType = new ConcurrentHashMap<>();
    private final LimitedLog limited = new LimitedLog(log);

    /** Adds a handler for {@code type}, after those registered before. */
    public void add(String type, CustomMessage.Handler handler) {
        if (type == null || handler == null) {
            throw new IllegalArgumentException("a message type and a handler are needed");
        }
        byType.computeIfAbsent(type, k -> new CopyOnWriteArrayList<>()).add(handler);
    }

    /** Runs every handler of the message's type, in order; false when there is none. */
    public boolean dispatch(Environment environment, CustomMessage message) {
        List<CustomMessage.Handler> handlers = byType.get(message.type());
        if (handlers == null || handlers.isEmpty()) {
            return false;
        }
        for (CustomMessage.Handler h : handlers) {
            try {
                h.onMessage(environment, message);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                limited.error("handler:" + message.type(), "Error in a handler of custom message '{}': {}", message.type(), e.toString(), e);
            }
        }
        return true;
    }
}
