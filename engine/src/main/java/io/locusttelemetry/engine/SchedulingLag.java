package io.locusttelemetry.engine;

import io.locusttelemetry.engine.internal.LagHistogram;

/**
 * How late users wake up against the time they asked for (the end of their wait between tasks):
 * the generator's own measure of being saturated. A healthy generator wakes its users within about
 * a millisecond; when its cores are busy (a CPU-bound task, GC, another process), users wake late,
 * requests go out late, and the response times measure the generator rather than the system under
 * test. Measured for every wait of every user of this JVM (one wait timer serves them all).
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
     */
    public record Interval(long wakeUps, double p50Millis, double p99Millis, double maxMillis) {
        /** An interval without wake-ups. */
        public static final Interval EMPTY = new Interval(0, 0, 0, 0);
    }

    /** Reads intervals one after the other; thread-safe. */
    public static final class Reader {
        private long[] previous = LagHistogram.snapshot();

        private Reader() {}

        /** The wake-ups since the previous call (or since this reader was made). */
        public synchronized Interval next() {
            long[] now = LagHistogram.snapshot();
            long[] delta = new long[now.length];
            long total = 0;
            for (int i = 0; i < now.length; i++) {
                delta[i] = Math.max(0, now[i] - previous[i]);
                total += delta[i];
            }
            previous = now;
            if (total == 0) {
                return Interval.EMPTY;
            }
            int max = 0;
            for (int i = delta.length - 1; i >= 0; i--) {
                if (delta[i] > 0) {
                    max = i;
                    break;
                }
            }
            return new Interval(total, millisAt(delta, total, 0.50), millisAt(delta, total, 0.99), midMillis(max));
        }

        private static double millisAt(long[] delta, long total, double quantile) {
            long rank = (long) Math.ceil(quantile * total);
            long seen = 0;
            for (int i = 0; i < delta.length; i++) {
                seen += delta[i];
                if (seen >= rank) {
                    return midMillis(i);
                }
            }
            return midMillis(delta.length - 1);
        }

        private static double midMillis(int bucket) {
            double micros = LagHistogram.lowerMicros(bucket) + (LagHistogram.widthMicros(bucket) - 1) / 2.0;
            return Math.round(micros) / 1000.0;
        }
    }
}
