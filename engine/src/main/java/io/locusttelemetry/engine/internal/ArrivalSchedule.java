package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.stats.IterationStats;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One user class's open model: iterations on a timeline at its arrival rate (evenly spaced, or
 * Poisson arrivals), each given at its intended start to a free user of the class's pool. When no
 * user is free, the pool grows by one (up to its most users) and the new user begins with that
 * iteration; when it is full, the iteration is dropped and counted, never queued.
 *
 * <p>It rides on the {@link WaitTimer}'s thread as a {@link WaitTimer.Timed} entry: each wake-up
 * hands out every iteration whose time has come (so at 20,000 a second one wake-up a millisecond
 * serves twenty), then sleeps until the next one, at most {@link #MAX_SLEEP_NANOS} so that a new
 * rate applies soon. Nothing on that path locks or allocates: free users wait on their
 * {@link ArrivalSlot}s, which users push on a lock-free stack when they finish an iteration and
 * only the timer thread pops (so the stack cannot suffer ABA).
 */
public final class ArrivalSchedule extends WaitTimer.Timed {
    /** Longest sleep between looks, so that a rate change (or the first iteration after a rate of 0) applies within it. */
    static final long MAX_SLEEP_NANOS = 5_000_000L;
    /** Most iterations handed out in one wake-up: a backlog after a long stall spreads over the next ones. */
    static final int MAX_PER_WAKE_UP = 10_000;

    /** What the schedule asks of the class's users. */
    public interface Pool {
        /**
         * On the timer thread: starts one more user, whose first iteration should have started at
         * {@code intendedStart}; must return at once (the user is made on its own thread).
         */
        void grow(long intendedStart);

        /** The counts of the current statistics (they change when the statistics are reset). */
        IterationStats.Counter counter();
    }

    private final Pool pool;
    private final boolean poisson;
    private volatile double rate;
    private volatile int maxUsers;
    private volatile boolean stopped;
    private volatile boolean expiring;
    /** Users started (or starting) and not retired. */
    private final AtomicInteger size = new AtomicInteger();
    /** Slots users returned since the timer last looked (a lock-free stack). */
    private final AtomicReference<ArrivalSlot> returned = new AtomicReference<>();

    // owned by the timer thread
    private ArrivalSlot free;
    private double appliedRate;
    private long next;
    private double residual;

    /**
     * @param poisson Poisson arrivals (random gaps, exponentially distributed) instead of evenly spaced ones
     */
    public ArrivalSchedule(Pool pool, double perSecond, int maxUsers, boolean poisson) {
        this.pool = pool;
        this.poisson = poisson;
        this.rate = perSecond;
        this.maxUsers = maxUsers;
    }

    /** Starts the timeline: the first iteration is due now (at a rate above 0). */
    public void start() {
        WaitTimer.schedule(this, System.nanoTime());
    }

    /** A new rate and pool size; applied at the next look, within a few milliseconds. */
    public void retune(double perSecond, int maxUsers) {
        this.rate = perSecond;
        this.maxUsers = maxUsers;
    }

    public double rate() {
        return rate;
    }

    public int maxUsers() {
        return maxUsers;
    }

    /** Users started and not retired. */
    public int size() {
        return size.get();
    }

    /**
     * Hands out no more iterations, and waits until the timer thread is out of this schedule (so
     * that no user is started after this returns). Users ask {@link #release} and end.
     */
    public void stop() {
        stopped = true;
        while (expiring) {
            Thread.yield();
        }
    }

    public boolean isStopped() {
        return stopped;
    }

    /**
     * On a user's thread, after an iteration: makes its slot free again, or retires the user when
     * the pool has more users than it may (the test stops, or the pool shrank).
     *
     * @return true when the user waits for its next iteration, false when it ends
     */
    public boolean release(ArrivalSlot slot) {
        while (true) {
            int users = size.get();
            if (!stopped && users <= maxUsers) {
                break;
            }
            if (size.compareAndSet(users, users - 1)) {
                return false;
            }
        }
        ArrivalSlot head;
        do {
            head = returned.get();
            slot.next = head;
        } while (!returned.compareAndSet(head, slot));
        return true;
    }

    /** The counts of the current statistics, for a user beginning an iteration. */
    public IterationStats.Counter counter() {
        return pool.counter();
    }

    @Override
    protected long expire(long now) {
        expiring = true;
        try {
            if (stopped) {
                return 0;
            }
            double r = rate;
            if (r != appliedRate) {
                retime(r, now);
            }
            retireSurplus();
            if (!(r > 0)) {
                return MAX_SLEEP_NANOS;
            }
            IterationStats.Counter counter = pool.counter();
            for (int n = 0; next - now <= 0; n++) {
                if (n == MAX_PER_WAKE_UP || stopped) {
                    return 1;
                }
                dispatch(next, counter);
                advance(r);
            }
            return Math.min(next - now, MAX_SLEEP_NANOS);
        } catch (RuntimeException e) {
            // the timer drops an entry whose expire throws: this schedule must keep its timeline
            return MAX_SLEEP_NANOS;
        } finally {
            expiring = false;
        }
    }

    /** The first iteration at a new rate: now when there was none, else no later than one gap of the new rate. */
    private void retime(double r, long now) {
        double old = appliedRate;
        appliedRate = r;
        residual = 0;
        if (!(r > 0)) {
            return;
        }
        if (!(old > 0)) {
            next = now;
            return;
        }
        long soonest = now + (long) gap(r);
        if (soonest - next < 0) {
            next = soonest;
        }
    }

    private void advance(double r) {
        double g = gap(r) + residual;
        long whole = (long) g;
        residual = g - whole;
        next += whole;
    }

    /** Nanoseconds to the next arrival: 1/rate, or an exponential variate of that mean. */
    private double gap(double r) {
        double mean = 1e9 / r;
        return poisson ? -Math.log(1.0 - ThreadLocalRandom.current().nextDouble()) * mean : mean;
    }

    private void dispatch(long intendedStart, IterationStats.Counter counter) {
        ArrivalSlot s = pop();
        if (s != null) {
            s.handOff(intendedStart);
            return;
        }
        int users = size.get();
        if (users < maxUsers && size.compareAndSet(users, users + 1)) {
            try {
                pool.grow(intendedStart);
            } catch (RuntimeException | OutOfMemoryError e) {
                size.decrementAndGet();
                counter.dropped();
            }
            return;
        }
        counter.dropped();
    }

    /** Retires free users while the pool holds more than it may. */
    private void retireSurplus() {
        while (true) {
            int users = size.get();
            if (users <= maxUsers) {
                return;
            }
            ArrivalSlot s = pop();
            if (s == null) {
                return; // the busy ones retire when they finish their iteration
            }
            if (size.compareAndSet(users, users - 1)) {
                s.retire();
            } else {
                s.next = free;
                free = s;
            }
        }
    }

    private ArrivalSlot pop() {
        ArrivalSlot s = free;
        if (s == null) {
            s = returned.getAndSet(null);
            if (s == null) {
                return null;
            }
        }
        free = s.next;
        s.next = null;
        return s;
    }
}
