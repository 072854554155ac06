package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.process.NamedThreads;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The waits of users between tasks, woken by one timer thread.
 *
 * <p>A virtual thread's {@code Thread.sleep} hands every sleep to the JDK's delay scheduler and
 * wakes that scheduler's thread for it: at thousands of waits a second (a fixed-rate test) that
 * costs about a fifth of the generator's CPU. Here a waiting user parks without a timeout and
 * this timer unparks every user whose time has come, looking at most once a millisecond, so the
 * wake-ups of many users share one. A wait ends at or after its deadline, at most about a
 * millisecond late. Short waits go through the timer too: a fixed-rate test whose tasks run long
 * (a stall, the JIT) waits less than a millisecond or two, and sending those to {@code Thread.sleep}
 * woke the delay scheduler for each, which measured at about 5% of the generator's CPU. Pacing
 * makes up for a late wake-up in the next wait, as Locust's does.
 *
 * <p>Waiting does not allocate once a user has its {@link Waiter}, and takes no lock: a waiter is
 * pushed on a lock-free stack that the timer thread drains into its own heap. Every wake-up counts
 * how late it came in the {@link LagHistogram} ({@link io.locusttelemetry.engine.SchedulingLag}).
 *
 * <p>Other deadlines ride on the same thread as {@link Timed} entries (the HTTP client's total
 * request timeouts), so that one thread wakes for all of them.
 */
public final class WaitTimer {
    private static final long TICK_NANOS = 1_000_000L;
    private static final long IDLE_NANOS = 1_000_000_000L;

    private static final WaitTimer INSTANCE = new WaitTimer();

    private final AtomicReference<Timed> incoming = new AtomicReference<>();
    /** When the timer thread will look next; Long.MIN_VALUE while it is awake and will look anyway. */
    private volatile long wakeAt = Long.MIN_VALUE;
    private final Thread thread;

    // owned by the timer thread
    private Timed[] heap = new Timed[256];
    private int size;

    /** Something the timer thread runs when its deadline has come. */
    public abstract static class Timed {
        long deadline;
        Timed next;

        /**
         * Runs on the timer thread at or after the deadline; must be quick and must not block.
         *
         * @return nanoseconds from {@code now} after which to run again, or 0 (or less) for never
         */
        protected abstract long expire(long now);
    }

    /** One user's reusable wait. */
    public static final class Waiter extends Timed {
        private static final int IDLE = 0;
        private static final int QUEUED = 1;
        private static final int FIRED = 2;

        final Thread owner;
        volatile int state;

        Waiter(Thread owner) {
            this.owner = owner;
        }

        @Override
        protected long expire(long now) {
            state = FIRED;
            LockSupport.unpark(owner);
            return 0;
        }
    }

    private WaitTimer() {
        thread = NamedThreads.startDaemon("jlocust-wait-timer", this::run);
    }

    /**
     * Waits {@code nanos} on the calling thread.
     *
     * @param waiter the caller's waiter from its previous wait, or null
     * @return the waiter to pass next time
     * @throws InterruptedException when the thread is interrupted (the user is being stopped)
     */
    public static Waiter sleep(Waiter waiter, long nanos) throws InterruptedException {
        Thread current = Thread.currentThread();
        Waiter w = waiter;
        if (w == null || w.owner != current || w.state == Waiter.QUEUED) {
            // a wait cut short by an interrupt may still be queued: it keeps its node
            w = new Waiter(current);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = System.nanoTime() + nanos;
        w.deadline = deadline;
        w.state = Waiter.QUEUED;
        INSTANCE.push(w, deadline);
        while (w.state != Waiter.FIRED) {
            LockSupport.park(INSTANCE);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        w.state = Waiter.IDLE;
        // measured on the user's own thread once it runs again: the timer's lateness plus the wait for a carrier
        LagHistogram.USERS.record(System.nanoTime() - deadline);
        return w;
    }

    /**
     * Runs {@code t} on the timer thread at or after {@code deadline} (a {@link System#nanoTime()}
     * value). An entry may be scheduled again only once the timer is done with it.
     */
    public static void schedule(Timed t, long deadline) {
        t.deadline = deadline;
        INSTANCE.push(t, deadline);
    }

    private void push(Timed w, long deadline) {
        Timed head;
        do {
            head = incoming.get();
            w.next = head;
        } while (!incoming.compareAndSet(head, w));
        // a timer that is awake (MIN_VALUE) drains before it plans; one that will look within a tick
        // after this deadline is left alone: the waiter is then late by at most the tick that the
        // timer's coalescing allows anyway, and the user saves waking a platform thread
        long at = wakeAt;
        if (at != Long.MIN_VALUE && at - deadline > TICK_NANOS) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (true) {
            try {
                wakeAt = Long.MIN_VALUE;
                drain();
                long now = System.nanoTime();
                while (size > 0 && heap[0].deadline - now <= 0) {
                    Timed t = poll();
                    long again = t.expire(now);
                    if (again > 0) {
                        t.deadline = now + again;
                        offer(t);
                    }
                }
                long target = size == 0 ? now + IDLE_NANOS : Math.max(heap[0].deadline, now + TICK_NANOS);
                wakeAt = target;
                // a waiter pushed before wakeAt was set saw MIN_VALUE and did not wake us: look again
                if (incoming.get() != null) {
                    continue;
                }
                LockSupport.parkNanos(this, target - now);
                long late = System.nanoTime() - target;
                if (late >= 0 && size > 0) {
                    // woken by its own timeout (not early by a new waiter): the operating system's delay
                    LagHistogram.TIMER.record(late);
                }
            } catch (Throwable t) {
                // the timer must outlive anything; waiters are still in the heap
                LockSupport.parkNanos(TICK_NANOS);
            }
        }
    }

    private void drain() {
        Timed w = incoming.getAndSet(null);
        while (w != null) {
            Timed next = w.next;
            w.next = null;
            offer(w);
            w = next;
        }
    }

    private void offer(Timed w) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timed p = heap[parent];
            if (w.deadline - p.deadline >= 0) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = w;
    }

    private Timed poll() {
        Timed top = heap[0];
        Timed last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && heap[right].deadline - heap[child].deadline < 0) {
                    child = right;
                }
                if (last.deadline - heap[child].deadline <= 0) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
        }
        return top;
    }
}
