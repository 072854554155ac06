package io.locusttelemetry.protocol.internal;

import io.locusttelemetry.protocol.CorruptMessageException;
import io.locusttelemetry.protocol.LocustMessage;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.MessageCodec;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The life of a socket's own thread, the same on the master's side and on a worker's: its
 * wake-up pipe, its stop flag, how it is stopped, and how a frame reaches the listener (a
 * listener's failure costs that frame only; only a {@linkplain Zmq#isFatal fatal} one ends the loop).
 */
public final class SocketLoop {
    /** A frame decoded into its generic message and its typed view. */
    public record Decoded(Message message, LocustMessage typed) {
    }

    private final Wakeup wakeup;
    private final Logger log;
    private final AtomicLong listenerFailures = new AtomicLong();
    private volatile boolean stopping;
    private Thread thread;

    public SocketLoop(Wakeup wakeup, Logger log) {
        this.wakeup = wakeup;
        this.log = log;
    }

    /** Starts the socket thread, named by the transport (see {@link Zmq#thread}). */
    public void start(ThreadFactory threads, Runnable loop, String name) {
        thread = Zmq.thread(threads, loop, name);
        thread.start();
    }

    public Wakeup wakeup() {
        return wakeup;
    }

    /** True once {@link #close()} was called or the loop ended. */
    public boolean isStopping() {
        return stopping;
    }

    /** True on the socket thread itself. */
    public boolean onLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Marks the loop as ended (from its own thread, whatever ended it). */
    public void ended() {
        stopping = true;
    }

    /**
     * Stops the loop: wakes the socket thread and, unless called from it (a listener closing its
     * own socket), waits for it to send what is queued and end.
     */
    public void close() {
        stopping = true;
        wakeup.signal();
        if (!onLoopThread()) {
            try {
                thread.join(Zmq.CLOSE_LINGER_MS + 3000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Decodes a frame's body and its typed view ({@code view}: from a worker or from a master).
     * Anything a peer's bytes can cause comes out as a {@link CorruptMessageException}.
     */
    public static Decoded decode(byte[] body, Function<Message, LocustMessage> view) throws CorruptMessageException {
        try {
            Message message = MessageCodec.decode(body);
            return new Decoded(message, view.apply(message));
        } catch (CorruptMessageException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            if (Zmq.isFatal(e)) {
                throw e;
            }
            throw new CorruptMessageException("frame could not be decoded: " + e);
        }
    }

    /**
     * A listener threw on {@code what}: a fatal error is thrown on (it ends the loop); anything
     * else is logged, the first one at ERROR with its stack, later ones at DEBUG. Listeners handle
     * (and rate-limit the logging of) everything a peer can cause, so what reaches this is a bug
     * in a listener, which one line is enough to report.
     */
    public void listenerFailed(Throwable t, String what) {
        if (Zmq.isFatal(t)) {
            throw (Error) t;
        }
        if (listenerFailures.getAndIncrement() == 0) {
            log.error("Listener failed on {}; the frame is dropped (further listener failures are logged at DEBUG)", what, t);
        } else {
            log.debug("Listener failed on {}", what, t);
        }
    }
}
