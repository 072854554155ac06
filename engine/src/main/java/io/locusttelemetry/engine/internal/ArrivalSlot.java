package io.locusttelemetry.engine.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * How an open model's schedule hands one iteration to one idle user: the user parks on its slot,
 * the schedule (on the wait timer's thread) writes the iteration's intended start and unparks it.
 * One per user, reused for every iteration: no allocation, no lock. While idle, the slot sits on
 * its schedule's stack of free users, linked through {@link #next}.
 */
public final class ArrivalSlot {
    private static final int IDLE = 0;
    private static final int RUN = 1;
    private static final int RETIRE = 2;

    private final Thread owner;
    private volatile int state = IDLE;
    private long intendedStart;
    /** The next free slot while this one is on a free stack. */
    ArrivalSlot next;

    /** The slot of the calling thread's user. */
    public ArrivalSlot() {
        this.owner = Thread.currentThread();
    }

    /**
     * Waits on the owner's thread until the schedule hands it an iteration or retires it.
     *
     * @return true for an iteration (its intended start is {@link #intendedStart()}), false when the
     *         user is no longer needed (fewer users wanted, or the test stops)
     * @throws InterruptedException when the user is being stopped
     */
    public boolean await() throws InterruptedException {
        while (true) {
            int s = state;
            if (s == RUN) {
                state = IDLE;
                return true;
            }
            if (s == RETIRE) {
                return false;
            }
            LockSupport.park(this);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** The intended start ({@link System#nanoTime()}) of the iteration {@link #await()} returned. */
    public long intendedStart() {
        return intendedStart;
    }

    /** On the schedule's thread: the next iteration, intended to start at {@code intendedStart}. */
    void handOff(long start) {
        intendedStart = start;
        state = RUN;
        LockSupport.unpark(owner);
    }

    /** On the schedule's thread: the user ends instead of waiting for another iteration. */
    void retire() {
        state = RETIRE;
        LockSupport.unpark(owner);
    }
}
