package io.locusttelemetry.engine.http.internal;

import io.locusttelemetry.engine.internal.WaitTimer;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;

/**
 * The total timeout of one session's requests. While a request with one runs, the wait timer's
 * thread looks at its deadline and, once it has passed, closes the socket the request uses, which
 * ends a connect, read or write blocked on it; the request then fails with a timeout.
 *
 * <p>Why not a socket timeout: it would bound each read, not the request, and it makes every
 * blocking read on a virtual thread a timed park, which cost about 40% more CPU per request. Here a
 * request arms and disarms with a few volatile writes and no allocation: the timer holds a
 * {@link Watch} for the session, looks at it when the earliest deadline it knows of comes, and
 * then queues it again for the deadline of the request running by then, if any. A request with a
 * shorter deadline than the one the timer waits for gets a new watch (the old one drops out).
 *
 * <p>A request is one odd value of {@link #seq}; disarming, or the timer firing, moves it to the
 * next even value, and whoever moves it first decides whether the request timed out.
 */
final class RequestDeadline {
    /** A later timer look than this past the deadline is worth a new watch. */
    private static final long SLACK_NANOS = 2_000_000L;
    private static final VarHandle SEQ;
    private static final VarHandle DUE;
    private static final VarHandle SOCKET;
    private static final VarHandle QUEUED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SEQ = lookup.findVarHandle(RequestDeadline.class, "seq", long.class);
            DUE = lookup.findVarHandle(RequestDeadline.class, "due", long.class);
            SOCKET = lookup.findVarHandle(RequestDeadline.class, "socket", Socket.class);
            QUEUED = lookup.findVarHandle(Watch.class, "queued", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long seq;
    private volatile long due;
    private volatile Socket socket;
    /** The last request whose socket the timer has closed. */
    private volatile long closed;
    private volatile Watch watch;

    /** Starts a request that must end within {@code timeoutNanos}; returns its token. */
    long arm(long timeoutNanos) {
        long d = System.nanoTime() + timeoutNanos;
        // due needs no fence of its own: the timer reads it after seq, whose volatile write follows (and
        // fences it from the read of the watch's state below, which the timer's own check mirrors)
        DUE.setRelease(this, d);
        long token = seq + 1;
        seq = token;
        Watch w = watch;
        if (w == null) {
            w = new Watch(this);
            watch = w;
        }
        if (w.queued == 0 && QUEUED.compareAndSet(w, 0, 1)) {
            w.queuedFor = d;
            WaitTimer.schedule(w, d);
        } else if (w.queuedFor - d > SLACK_NANOS) {
            w = new Watch(this);
            w.queued = 1;
            w.queuedFor = d;
            watch = w;
            WaitTimer.schedule(w, d);
        }
        return token;
    }

    /**
     * Publishes the socket the request {@code token} uses from now on (null for none).
     *
     * @return false if the request is already past its deadline
     */
    boolean watch(Socket s, long token) {
        socket = s;
        return seq == token;
    }

    /** Whether the request {@code token} ran past its deadline. */
    boolean expired(long token) {
        return seq != token;
    }

    /**
     * Ends the request {@code token}.
     *
     * @return true if it ended in time; false if it ran past its deadline (its socket is closed by then)
     */
    boolean disarm(long token) {
        boolean inTime = SEQ.compareAndSet(this, token, token + 1);
        if (!inTime) {
            // the timer moved the token first and closes the socket right after: wait for that, so
            // that it cannot close the socket of a later request
            while (closed != token) {
                Thread.yield();
            }
        }
        SOCKET.setRelease(this, null);
        return inTime;
    }

    /** On the timer thread: ends the request {@code token} as timed out if it still runs. */
    private void fire(long token) {
        if (SEQ.compareAndSet(this, token, token + 1)) {
            Socket s = socket;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException | RuntimeException e) {
                    // closing is all we can do
                }
            }
            closed = token;
        }
    }

    /** The timer's entry for a session. */
    private static final class Watch extends WaitTimer.Timed {
        private final RequestDeadline owner;
        /** 1 while the timer holds this watch (queued or being looked at). */
        volatile int queued;
        /** The deadline the timer holds it for. */
        volatile long queuedFor;

        Watch(RequestDeadline owner) {
            this.owner = owner;
        }

        @Override
        protected long expire(long now) {
            RequestDeadline o = owner;
            while (o.watch == this) {
                long token = o.seq;
                if ((token & 1) == 0) {
                    // no request runs: leave the timer, unless one armed meanwhile and left it to us
                    queued = 0;
                    if ((o.seq & 1) == 0 || !QUEUED.compareAndSet(this, 0, 1)) {
                        return 0;
                    }
                    continue;
                }
                long d = o.due;
                if (d - now <= 0) {
                    o.fire(token);
                    continue;
                }
                queuedFor = d;
                // a request that armed a shorter deadline after we read it either sees queuedFor
                // and takes a new watch, or is seen here
                if (o.due == d) {
                    return d - now;
                }
            }
            return 0;
        }
    }
}
