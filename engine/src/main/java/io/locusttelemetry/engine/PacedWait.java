package io.locusttelemetry.engine;

/**
 * Locust's {@code constant_pacing}: a task every {@code seconds}, the wait being what is left of
 * the period after the task. It also knows each task's intended start, the previous task's start
 * plus the period: when a task overran, the next one starts at once but late, and the time from
 * its intended start tells by how much. After that the schedule starts again from the real start,
 * as Locust's pacing does (it never catches up).
 */
final class PacedWait implements WaitTime {
    private final double seconds;
    private final long periodNanos;
    private boolean started;
    private long lastRun;
    private long intendedNext;

    PacedWait(double seconds) {
        this.seconds = seconds;
        this.periodNanos = (long) (seconds * 1e9);
    }

    @Override
    public double nextWaitSeconds() {
        long now = System.nanoTime();
        double wait;
        if (!started) {
            // first call, after the first task: wait a whole period, as Locust does
            started = true;
            wait = seconds;
            intendedNext = now + periodNanos;
        } else {
            double ranFor = (now - lastRun) / 1e9;
            wait = Math.max(0, seconds - ranFor);
            intendedNext = lastRun + periodNanos;
        }
        lastRun = now + (long) (wait * 1e9);
        return wait;
    }

    /** The intended start ({@link System#nanoTime()}) of the task after the wait {@link #nextWaitSeconds()} gave last. */
    long intendedNextNanos() {
        return intendedNext;
    }
}
