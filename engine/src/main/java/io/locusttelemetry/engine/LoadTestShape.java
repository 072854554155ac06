package io.locusttelemetry.engine;

/**
 * Drives the user count over time instead of {@code -u}/{@code -r}/{@code -t} (Locust's
 * {@code LoadTestShape}). {@link #tick()} is called about once a second.
 */
public abstract class LoadTestShape {
    private long startNanos = System.nanoTime();

    /** The users and spawn rate wanted now, or null to stop the test. */
    public abstract Tick tick();

    /** Seconds since the test started. */
    protected final double runTime() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Restarts {@link #runTime()} from zero; called by the runner when the test starts. */
    public final void resetTime() {
        startNanos = System.nanoTime();
    }

    /** Shorthand for {@code new Tick(users, spawnRate)}. */
    protected static Tick users(int users, double spawnRate) {
        return new Tick(users, spawnRate);
    }

    /** The wanted state at one moment. */
    public record Tick(int users, double spawnRate) {}
}
