package io.locusttelemetry.engine;

/** Thrown from a task to end it now and go on with the next one (Locust's {@code RescheduleTask}). */
public class RescheduleTask extends RuntimeException {
    public RescheduleTask() {
        super(null, null, false, false);
    }
}
