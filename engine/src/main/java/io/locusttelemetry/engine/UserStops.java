package io.locusttelemetry.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a runner stops its users, the one place for it. Each user is told to stop; it ends after its
 * task, or at once while it waits between tasks. With a stop timeout of 0, and for the users that
 * have not ended when it is over, the user is killed: a request it has not sent yet is not sent, a
 * request it has sent gets the request grace to end and is cut after it
 * ({@link io.locusttelemetry.engine.internal.RequestGate}). The users stopped and not yet ended
 * are kept, so a later stop of the whole test also waits for those a lower user count stopped.
 */
final class UserStops {
    /** How long killed users whose requests ended may take to unwind (their onStop), at most. */
    private static final long UNWIND_NANOS = 5_000_000_000L;

    private final Set<User> leaving = ConcurrentHashMap.newKeySet();

    /** The users stopped that may not have ended yet. */
    List<User> leaving() {
        return new ArrayList<>(leaving);
    }

    /** Called on a user's thread as it ends. */
    void ended(User user) {
        leaving.remove(user);
    }

    /**
     * Stops {@code users}: kills those waiting between tasks at once (all of them when
     * {@code stopTimeout} is 0), waits up to {@code stopTimeout} seconds for the others to end
     * their task and kills the rest then. Does not wait for the killed to end.
     *
     * @param requestGrace how long a request in flight at the kill may still take
     */
    void stop(Collection<User> users, double stopTimeout, Duration requestGrace) {
        if (users.isEmpty()) {
            return;
        }
        long grace = requestGrace.toNanos();
        for (User u : users) {
            u.stopping = true;
            leaving.add(u);
        }
        for (User u : users) {
            if (stopTimeout <= 0 || u.waiting) {
                kill(u, grace);
            }
        }
        if (stopTimeout <= 0) {
            return;
        }
        long deadline = System.nanoTime() + (long) (stopTimeout * 1e9);
        for (User u : users) {
            Thread t = u.thread;
            if (t == null || t == Thread.currentThread()) {
                continue;
            }
            if (!join(t, deadline)) {
                return;
            }
            if (t.isAlive()) {
                kill(u, grace);
            }
        }
    }

    /**
     * Waits until every user stopped so far has ended: their requests have ended or been cut (at
     * most {@code requestGrace} after their kill) and their onStop has run (bounded).
     */
    void awaitEnded(Duration requestGrace) {
        long deadline = System.nanoTime() + requestGrace.toNanos() + UNWIND_NANOS;
        for (User u : leaving()) {
            Thread t = u.thread;
            if (t == Thread.currentThread()) {
                continue; // a user that stopped the test ends when its task returns
            }
            if (t != null && !join(t, deadline)) {
                return;
            }
            if (t == null || !t.isAlive()) {
                leaving.remove(u);
            }
        }
    }

    private static void kill(User u, long graceNanos) {
        Thread t = u.thread;
        if (t != null && t != Thread.currentThread() && t.isAlive()) {
            u.gate.kill(t, graceNanos);
        }
    }

    /** Joins {@code t} until {@code deadline}; false when this thread was interrupted (its flag is kept). */
    private static boolean join(Thread t, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return true;
        }
        try {
            t.join(Duration.ofNanos(left));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
