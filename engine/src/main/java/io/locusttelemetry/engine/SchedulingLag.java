package io.locusttelemetry.engine;

import io.locusttelemetry.engine.internal.LagHistogram;

/**
 * How late users wake up against the time they asked for (the end of their wait between tasks):
 * the generator's own measure of being saturated. A healthy generator wakes its users within about
 * a millisecond; when its cores are busy (a CPU-bound task, GC, another process), users wake late,
 * requests go out late, and the response times measure the generator rather than the system under
 * test. Measured for every wait of every user of this JVM (one wait timer serves them all).
 *
 * <p>Beside it, the timer thread's own lateness: a platform thread that only the operating
 * system delays, so it shows what the machine itself adds (other processes competing for its
 * cores). Users late by much more than that are late because this process's own cores are busy.
 *
 * <p>Each {@link Reader} sees the intervals between its own calls, so several consumers can read at
 * their own pace.
 */
public final class SchedulingLag {
    private SchedulingLag() {}

    /** A reader whose first interval starts now. */
    public static Reader reader() {
        return new Reader();
    }

    /**
     * The wake-ups of one interval.
     *
     * @param wakeUps    users woken in the interval
     * @param p50Millis  median lag, in milliseconds (0 without wake-ups)
     * @param p99Millis  99th percentile lag, in milliseconds (0 without wake-ups)
     * @param maxMillis  the largest lag, in milliseconds (0 without wake-ups)
     * @param timerP99Millis the 99th percentile of the wait timer thread's own lateness: the delay the
     *                   operating system adds, whatever this process does (0 without timed wake-ups)
     */
    public record Interval(long wakeUps, double p50Millis, double p99Millis, double maxMillis, double timerP99Millis) {
        /** An interval without wake-ups. */
        public static final Interval EMPTY = new Interval(0, 0, 0, 0, 0);

        /** How much later than the machine's own delay users woke (p99 against p99), at least 0. */
        public double ownLagMillis() {
            return Math.max(0, p99Millis - timerP99Millis);
        }
    }

    /** Reads intervals one after the other; thread-safe. */
    public static final class Reader {
        private long[] previous = LagHistogram.USERS.snapshot();
        private long[] previousTimer = LagHistogram.TIMER.snapshot();

        private Reader() {}

        /** The wake-ups since the previous call (or since this reader was made). */
        public synchronized Interval next() {
            long[] now = LagHistogram.USERS.snapshot();
            long[] timerNow = LagHistogram.TIMER.snapshot();
            long[] delta = delta(now, previous);
            long[] timer = delta(timerNow, previousTimer);
            previous = now;
            previousTimer = timerNow;
            long total = sum(delta);
            long timerTotal = sum(timer);
            double timerP99 = timerTotal == 0 ? 0 : LagHistogram.millisAt(timer, timerTotal, 0.99);
            if (total == 0) {
                return timerTotal == 0 ? Interval.EMPTY : new Interval(0, 0, 0, 0, timerP99);
            }
            int max = 0;
            for (int i = delta.length - 1; i >= 0; i--) {
                if (delta[i] > 0) {
                    max = i;
                    break;
                }
            }
            return new Interval(total, LagHistogram.millisAt(delta, total, 0.50), LagHistogram.millisAt(delta, total, 0.99),
                    LagHistogram.midMillis(max), timerP99);
        }

        private static long[] delta(long[] now, long[] before) {
            long[] d = new long[now.length];
            for (int i = 0; i < now.length; i++) {
                d[i] = Math.max(0, now[i] - before[i]);
            }
            return d;
        }

        private static long sum(long[] counts) {
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            return total;
        }
    }
}
