package io.locusttelemetry.protocol.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import org.zeromq.ZMQ;

/**
 * Puts a socket thread to sleep until its ZeroMQ socket has a message or its {@link Wakeup} is
 * signalled, with both registered once in a selector of its own.
 *
 * <p>A generic ZeroMQ poll rebuilds its registrations, probes every item and selects twice on
 * each call; at a master's message rate that was most of its socket thread's CPU. The socket's
 * file descriptor is edge-triggered (it signals pending commands, not pending messages), so the
 * socket's events are asked before sleeping and after every wake-up.
 */
public final class SocketWaiter implements Closeable {

    private final ZMQ.Socket socket;
    private final Wakeup wakeup;
    private final Selector selector;
    private final SelectionKey wakeupKey;

    public SocketWaiter(ZMQ.Socket socket, Wakeup wakeup) throws IOException {
        this.socket = socket;
        this.wakeup = wakeup;
        this.selector = Selector.open();
        try {
            this.wakeupKey = wakeup.channel().register(selector, SelectionKey.OP_READ);
            socket.getFD().register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    /**
     * Returns at once if the socket has a message; otherwise waits up to {@code timeoutMs} for a
     * message or a wake-up signal (which it consumes).
     *
     * @return true if a message can be received now
     */
    public boolean awaitMessage(long timeoutMs) throws IOException {
        if (readable()) {
            return true;
        }
        selector.select(timeoutMs);
        if (wakeupKey.isValid() && selector.selectedKeys().contains(wakeupKey)) {
            wakeup.drain();
        }
        selector.selectedKeys().clear();
        return readable();
    }

    private boolean readable() {
        // processes the socket's pending commands, which also re-arms its descriptor;
        // -1 means the context is ending
        int events = socket.getEvents();
        return events > 0 && (events & ZMQ.Poller.POLLIN) != 0;
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException | ClosedSelectorException ignored) {
            // best effort during shutdown
        }
    }
}
