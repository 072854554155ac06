package io.locusttelemetry.engine;

/** Thrown from a task to stop this user for the rest of the test (Locust's {@code StopUser}). */
public class StopUser extends RuntimeException {
    public StopUser() {
        super(null, null, false, false);
    }
}
