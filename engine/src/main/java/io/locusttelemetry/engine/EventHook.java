package io.locusttelemetry.engine;

import io.locusttelemetry.engine.process.LimitedLog;
import java.util.Arrays;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * One of Locust's event hooks. Listeners are kept in a copy-on-write array, so firing takes no
 * lock and allocates nothing; a listener that throws is logged (rate-limited per hook) and does
 * not stop the others.
 *
 * @param <E> what the event carries
 */
public final class EventHook<E> {
    private static final LimitedLog LIMITED = new LimitedLog(LoggerFactory.getLogger(EventHook.class));

    private final String name;
    @SuppressWarnings("unchecked")
    private volatile Consumer<? super E>[] listeners = new Consumer[0];
    private volatile Runnable onListenerError = () -> {};

    EventHook(String name) {
        this.name = name;
    }

    /** Locust's name of the hook, e.g. {@code test_start}. */
    public String name() {
        return name;
    }

    /** Adds a listener; returns it so it can be removed later. */
    public synchronized <L extends Consumer<? super E>> L addListener(L listener) {
        Consumer<? super E>[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[listeners.length] = listener;
        listeners = next;
        return listener;
    }

    public synchronized void removeListener(Consumer<? super E> listener) {
        Consumer<? super E>[] current = listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                @SuppressWarnings("unchecked")
                Consumer<? super E>[] next = new Consumer[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                listeners = next;
                return;
            }
        }
    }

    public boolean hasListeners() {
        return listeners.length > 0;
    }

    /** Calls every listener in the order they were added. */
    public void fire(E event) {
        for (Consumer<? super E> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError vme) {
                    throw vme;
                }
                // a peer decides how often some hooks fire (worker_report, heartbeat_received): limited
                LIMITED.error(name, "Uncaught exception in event handler of {}", name, e);
                onListenerError.run();
            }
        }
    }

    void onListenerError(Runnable action) {
        this.onListenerError = action;
    }
}
