package io.locusttelemetry.engine;

/**
 * Drives the user count over time instead of {@code -u}/{@code -r}/{@code -t} (Locust's
 * {@code LoadTestShape}), or an open model's arrival rate ({@link #arrivals}, k6's
 * ramping-arrival-rate). {@link #tick()} is called about once a second; a new rate applies from
 * that tick on.
 *
 * <pre>{@code
 * public class Ramp extends LoadTestShape {
 *     public Tick tick() {
 *         double t = runTime();
 *         return t < 60 ? arrivals(500 * t / 60) : t < 120 ? arrivals(500 * (120 - t) / 60) : null;
 *     }
 * }
 * }</pre>
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

    /**
     * An open model at {@code perSecond} iterations a second in total, shared by the user classes
     * as {@code --arrival-rate} is, each pool up to its most users ({@code --max-users}).
     */
    protected static Tick arrivals(double perSecond) {
        return new Tick(0, 0, perSecond);
    }

    /**
     * The wanted state at one moment.
     *
     * @param users       users wanted (a closed model)
     * @param spawnRate   users started per second on the way there
     * @param arrivalRate iterations per second of an open model, or -1 for a closed model
     */
    public record Tick(int users, double spawnRate, double arrivalRate) {
        /** A closed model's tick. */
        public Tick(int users, double spawnRate) {
            this(users, spawnRate, -1);
        }

        /** Whether this tick asks for an open model ({@link #arrivals}). */
        public boolean isArrivals() {
            return arrivalRate >= 0;
        }
    }
}
