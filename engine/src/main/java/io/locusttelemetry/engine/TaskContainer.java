package io.locusttelemetry.engine;

import io.locusttelemetry.engine.internal.ArrivalSchedule;
import io.locusttelemetry.engine.internal.ArrivalSlot;
import io.locusttelemetry.engine.internal.LagHistogram;
import io.locusttelemetry.engine.internal.TaskModel;
import io.locusttelemetry.engine.internal.TaskModel.TaskDef;
import io.locusttelemetry.engine.internal.WaitTimer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What {@link User} and {@link TaskSet} share: tasks, a wait time, {@code onStart}/{@code onStop}
 * and the loop that runs them. Not for direct subclassing.
 */
public abstract sealed class TaskContainer permits User, TaskSet {
    private WaitTime waitTime;
    TaskModel model;
    private int sequentialIndex;

    TaskContainer() {}

    /** Called once when this user (or task set) starts, before its first task. */
    protected void onStart() {}

    /** Called once when this user (or task set) stops. */
    protected void onStop() {}

    /** Sets the wait between tasks, e.g. {@code waitTime(between(1, 3))}. */
    protected final void waitTime(WaitTime waitTime) {
        this.waitTime = waitTime;
    }

    /** The wait between tasks; a task set without its own uses its user's. */
    public WaitTime waitTime() {
        return waitTime;
    }

    /** Locust's {@code constant}. */
    protected static WaitTime constant(double seconds) {
        return WaitTime.constant(seconds);
    }

    /** Locust's {@code between}: a random wait in [min, max] seconds. */
    protected static WaitTime between(double min, double max) {
        return WaitTime.between(min, max);
    }

    /** Locust's {@code constant_throughput}: at most this many tasks per second per user. */
    protected static WaitTime constantThroughput(double tasksPerSecond) {
        return WaitTime.constantThroughput(tasksPerSecond);
    }

    /** Locust's {@code constant_pacing}: a task every {@code seconds}. */
    protected static WaitTime constantPacing(double seconds) {
        return WaitTime.constantPacing(seconds);
    }

    /** A random integer in [min, max], both included. */
    protected static int random(int min, int max) {
        return ThreadLocalRandom.current().nextInt(min, max + 1);
    }

    /** The user this container belongs to. */
    public abstract User user();

    /** Runs a task set now (returns when it is interrupted), as if it had been picked as a task. */
    protected final void runTaskSet(Class<? extends TaskSet> taskSet) {
        boolean reschedule = user().runNested(taskSet, this);
        if (!reschedule) {
            waitBetweenTasks();
        }
    }

    final void waitBetweenTasks() {
        User u = user();
        if (u.openModel) {
            return; // an open model's iteration is one task: the arrival rate decides when the next starts
        }
        WaitTime w = effectiveWaitTime();
        double seconds = w == null ? 0 : w.nextWaitSeconds();
        if (w instanceof PacedWait paced) {
            u.intendedStartNanos = paced.intendedNextNanos();
        }
        if (seconds <= 0) {
            return;
        }
        u.waiting = true;
        try {
            if (u.stopping) {
                throw new StopUser();
            }
            u.waiter = WaitTimer.sleep(u.waiter, (long) (seconds * 1e9));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopUser();
        } finally {
            u.waiting = false;
        }
    }

    WaitTime effectiveWaitTime() {
        return waitTime;
    }

    /**
     * Runs tasks until stopped. Returns normally only for a task set that was interrupted; the
     * return value tells whether the parent should skip its wait.
     */
    final boolean runTasks() {
        User u = user();
        onStart();
        if (model.isEmpty()) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " has no tasks (add @Task methods, or check --tags/--exclude-tags)");
        }
        boolean stopped = false;
        try {
            while (true) {
                if (u.stopping) {
                    throw new StopUser();
                }
                if (u.intendedStartNanos == User.NO_INTENDED_START && effectiveWaitTime() instanceof PacedWait) {
                    u.intendedStartNanos = System.nanoTime(); // a paced user's first task starts on its schedule
                }
                boolean skipWait;
                try {
                    skipWait = runOneTask(u);
                } catch (InterruptTaskSet e) {
                    if (this instanceof TaskSet) {
                        stopped = true;
                        onStop();
                        return e.reschedule();
                    }
                    throw new IllegalStateException("interrupt() called outside a TaskSet", e);
                }
                if (!skipWait) {
                    waitBetweenTasks();
                }
            }
        } catch (StopUser e) {
            if (this instanceof TaskSet && !stopped) {
                stopTaskSet(u);
            }
            throw e;
        }
    }

    /**
     * Picks one task and runs it; a task's exception is reported and the user goes on. Returns
     * whether the wait after it is skipped (a nested task set ended with {@code interrupt(true)}).
     * {@link InterruptTaskSet} and {@link StopUser} go to the caller.
     */
    private boolean runOneTask(User u) {
        TaskDef task = model.isSequential() ? model.task(sequentialIndex++ % model.size()) : model.pick();
        try {
            u.executeTask(this, task);
        } catch (InterruptTaskSet | StopUser e) {
            throw e;
        } catch (RescheduleTask e) {
            // end of this task; wait as usual
        } catch (NestedRescheduleSignal signal) {
            return true;
        } catch (RuntimeException | Error e) {
            if (u.stopping) {
                throw new StopUser();
            }
            // as any exception, an Error of a task (OutOfMemoryError, StackOverflowError...)
            // is reported and the user goes on with its next task
            u.reportError(e);
        }
        return false;
    }

    /**
     * An open model's user: onStart, then one task per iteration the schedule hands it, the first at
     * once, until the schedule retires it or the test stops it. Each iteration's requests carry
     * the time from its intended start; how late it began is counted. A user that ends by itself
     * ({@link StopUser}, an error in onStart) keeps its place in the pool: it is not replaced.
     */
    final void iterate(ArrivalSlot slot, ArrivalSchedule schedule, long firstIntendedStart) {
        User u = user();
        onStart();
        if (model.isEmpty()) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " has no tasks (add @Task methods, or check --tags/--exclude-tags)");
        }
        long intended = firstIntendedStart;
        boolean fresh = true;
        while (true) {
            if (u.stopping) {
                throw new StopUser();
            }
            long late = System.nanoTime() - intended;
            schedule.counter().began(late);
            if (!fresh) {
                // how late the generator handed it out; a new user's first one also waited for its onStart
                LagHistogram.USERS.record(late);
            }
            u.intendedStartNanos = intended;
            try {
                runOneTask(u);
            } catch (InterruptTaskSet e) {
                throw new IllegalStateException("interrupt() called outside a TaskSet", e);
            } finally {
                u.intendedStartNanos = User.NO_INTENDED_START;
            }
            if (!schedule.release(slot) || !awaitIteration(u, slot)) {
                throw new StopUser();
            }
            intended = slot.intendedStart();
            fresh = false;
        }
    }

    private static boolean awaitIteration(User u, ArrivalSlot slot) {
        u.waiting = true;
        try {
            if (u.stopping) {
                throw new StopUser();
            }
            return slot.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopUser();
        } finally {
            u.waiting = false;
        }
    }

    /** Like Locust, a task set's onStop also runs when its user stops while inside it. */
    private void stopTaskSet(User u) {
        // onStop may make requests, so it runs with the interrupt cleared (as the user's own onStop)
        Thread.interrupted();
        u.gate.reopen();
        try {
            onStop();
        } catch (StopUser ignored) {
            // stopping anyway
        } catch (RuntimeException | Error e) {
            u.reportError(e);
        }
    }

    /** Internal: a nested task set ended with {@code interrupt(true)}. */
    static final class NestedRescheduleSignal extends RuntimeException {
        static final NestedRescheduleSignal INSTANCE = new NestedRescheduleSignal();

        private NestedRescheduleSignal() {
            super(null, null, false, false);
        }
    }
}
