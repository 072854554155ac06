package io.locusttelemetry.engine.internal;

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
 */
public final class WaitTimer {
    private static final long TICK_NANOS = 1_000_000L;
    private static final long IDLE_NANOS = 1_000_000_000L;

    private static final WaitTimer INSTANCE = new WaitTimer();

    private final AtomicReference<Waiter> incoming = new AtomicReference<>();
    /** When the timer thread will look next; Long.MIN_VALUE while it is awake and will look anyway. */
    private volatile long wakeAt = Long.MIN_VALUE;
    private final Thread thread;

    // owned by the timer thread
    private Waiter[] heap = new Waiter[256];
    private int size;

    /** One user's reusable wait. */
    public static final class Waiter {
        private static final int IDLE = 0;
        private static final int QUEUED = 1;
        private static final int FIRED = 2;

        final Thread owner;
        long deadline;
        volatile int state;
        Waiter next;

        Waiter(Thread owner) {
            this.owner = owner;
        }
    }

    private WaitTimer() {
        thread = new Thread(this::run, "jlocust-wait-timer");
        thread.setDaemon(true);
        thread.start();
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

    private void push(Waiter w, long deadline) {
        Waiter head;
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
                    Waiter w = poll();
                    w.state = Waiter.FIRED;
                    LockSupport.unpark(w.owner);
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
        Waiter w = incoming.getAndSet(null);
        while (w != null) {
            Waiter next = w.next;
            w.next = null;
            offer(w);
            w = next;
        }
    }

    private void offer(Waiter w) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Waiter p = heap[parent];
            if (w.deadline - p.deadline >= 0) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = w;
    }

    private Waiter poll() {
        Waiter top = heap[0];
        Waiter last = heap[--size];
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
