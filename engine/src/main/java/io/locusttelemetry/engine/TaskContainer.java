package io.locusttelemetry.engine;

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
        WaitTime w = effectiveWaitTime();
        double seconds = w == null ? 0 : w.nextWaitSeconds();
        if (seconds <= 0) {
            return;
        }
        User u = user();
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
                TaskDef task = model.isSequential() ? model.task(sequentialIndex++ % model.size()) : model.pick();
                boolean skipWait = false;
                try {
                    u.executeTask(this, task);
                } catch (InterruptTaskSet e) {
                    if (this instanceof TaskSet) {
                        stopped = true;
                        onStop();
                        return e.reschedule();
                    }
                    throw new IllegalStateException("interrupt() called outside a TaskSet", e);
                } catch (RescheduleTask e) {
                    // end of this task; wait as usual
                } catch (StopUser e) {
                    throw e;
                } catch (NestedRescheduleSignal signal) {
                    skipWait = true;
                } catch (RuntimeException | Error e) {
                    if (u.stopping) {
                        throw new StopUser();
                    }
                    // as any exception, an Error of a task (OutOfMemoryError, StackOverflowError...)
                    // is reported and the user goes on with its next task
                    u.reportError(e);
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
