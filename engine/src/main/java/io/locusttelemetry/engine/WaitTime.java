package io.locusttelemetry.engine;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a user waits between tasks, in seconds. Implement it for a custom wait; the factories
 * give Locust's {@code constant}, {@code between}, {@code constant_throughput} and
 * {@code constant_pacing}. A wait time instance belongs to one user.
 */
@FunctionalInterface
public interface WaitTime {

    /** Seconds to wait before the next task. */
    double nextWaitSeconds();

    /** Always the same wait. */
    static WaitTime constant(double seconds) {
        return () -> seconds;
    }

    /** A uniformly random wait between {@code min} and {@code max} seconds. */
    static WaitTime between(double min, double max) {
        if (max < min) {
            throw new IllegalArgumentException("between(" + min + ", " + max + "): max is smaller than min");
        }
        return () -> min + ThreadLocalRandom.current().nextDouble() * (max - min);
    }

    /** Waits so that tasks start at most {@code tasksPerSecond} times per second for this user. */
    static WaitTime constantThroughput(double tasksPerSecond) {
        return constantPacing(1.0 / tasksPerSecond);
    }

    /**
     * Waits so that a task starts every {@code seconds} (less the time the last task took). Each
     * task's intended start is the previous task's start plus {@code seconds}: a request's time from
     * that start ({@link RequestEvent#intendedResponseTime()}) shows a task that overran its period.
     */
    static WaitTime constantPacing(double seconds) {
        return new PacedWait(seconds);
    }

    /** No wait at all: tasks run back to back (Locust users without a wait time). */
    static WaitTime none() {
        return () -> 0;
    }
}
