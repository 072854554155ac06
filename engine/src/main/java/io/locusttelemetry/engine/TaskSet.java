package io.locusttelemetry.engine;

import io.locusttelemetry.engine.http.HttpSession;
import io.locusttelemetry.engine.internal.TaskModel;

/**
 * A group of tasks a user runs until {@link #interrupt()} returns it to its parent. Nest it in a
 * user (or another task set) class with {@code @Task(weight)} on the class, or run one with
 * {@code runTaskSet(MyTasks.class)}. Inner (non-static) classes can use their parent's fields.
 */
public abstract non-sealed class TaskSet extends TaskContainer {
    private User user;
    private TaskContainer parent;

    /** The HTTP client of the user when it is an {@link HttpUser}, else null. */
    protected HttpSession client;

    protected TaskSet() {}

    final void attach(User user, TaskContainer parent, TaskModel model) {
        this.user = user;
        this.parent = parent;
        this.model = model;
        this.client = user instanceof HttpUser h ? h.client : null;
    }

    @Override
    public final User user() {
        return user;
    }

    /** The user or task set that started this one. */
    public TaskContainer parent() {
        return parent;
    }

    /** Stops this task set; the parent waits, then picks its next task. */
    protected final void interrupt() {
        interrupt(false);
    }

    /** Stops this task set; with {@code reschedule} the parent picks its next task at once. */
    protected final void interrupt(boolean reschedule) {
        throw new InterruptTaskSet(reschedule);
    }

    @Override
    WaitTime effectiveWaitTime() {
        WaitTime own = waitTime();
        return own != null ? own : parent.effectiveWaitTime();
    }
}
