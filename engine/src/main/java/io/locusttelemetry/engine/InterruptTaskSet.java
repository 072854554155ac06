package io.locusttelemetry.engine;

/** Ends the current {@link TaskSet} and returns to its parent; thrown by {@link TaskSet#interrupt()}. */
public class InterruptTaskSet extends RuntimeException {
    private final boolean reschedule;

    public InterruptTaskSet(boolean reschedule) {
        super(null, null, false, false);
        this.reschedule = reschedule;
    }

    /** Whether the parent picks its next task at once instead of waiting first. */
    public boolean reschedule() {
        return reschedule;
    }
}
