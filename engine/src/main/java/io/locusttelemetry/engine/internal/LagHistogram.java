package io.locusttelemetry.engine.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How late something woke against the time it asked for, counted since the JVM started in
 * log-linear buckets (exact below 32 µs, then 16 buckets per power of two: at most 6% off).
 * {@link #USERS}: every user's wake-up from a wait of the {@link WaitTimer}, measured on the user's
 * thread; {@link #TIMER}: the timer thread's own timed wake-ups, which only the operating system's
 * scheduler delays (the machine's own noise, whatever runs on it). Recording is one array
 * increment: no lock, no allocation. Readers take {@link #snapshot()}s and subtract the previous
 * one, so nothing is ever reset.
 */
public final class LagHistogram {
    /** Users waking from their waits. */
    public static final LagHistogram USERS = new LagHistogram();
    /** The wait timer's own thread waking to fire them. */
    public static final LagHistogram TIMER = new LagHistogram();

    private static final int EXACT = 32;
    private static final int SUB_BUCKETS = 16;
    /** Powers of two from 2^5 µs up to 2^40 µs (about 12 days). */
    private static final int MAX_EXPONENT = 40;
    /** Number of buckets. */
    public static final int BUCKETS = EXACT + (MAX_EXPONENT - 4) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    private LagHistogram() {}

    /** A histogram of its own, e.g. for one test's iteration starts. */
    public static LagHistogram create() {
        return new LagHistogram();
    }

    /** Counts one wake-up that came {@code lateNanos} after its deadline (0 or less: on time). */
    public void record(long lateNanos) {
        counts.getAndIncrement(index(lateNanos <= 0 ? 0 : lateNanos / 1000));
    }

    static int index(long micros) {
        if (micros < EXACT) {
            return (int) Math.max(0, micros);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (micros >>> (exponent - 4)) & (SUB_BUCKETS - 1);
        return EXACT + (exponent - 5) * SUB_BUCKETS + sub;
    }

    /** The smallest lag in microseconds that falls into bucket {@code index}. */
    public static long lowerMicros(int index) {
        if (index < EXACT) {
            return index;
        }
        int exponent = 5 + (index - EXACT) / SUB_BUCKETS;
        int sub = (index - EXACT) % SUB_BUCKETS;
        return (long) (SUB_BUCKETS + sub) << (exponent - 4);
    }

    /** The width of bucket {@code index} in microseconds. */
    public static long widthMicros(int index) {
        return index < EXACT ? 1 : 1L << (5 + (index - EXACT) / SUB_BUCKETS - 4);
    }

    /** The lag in milliseconds below which {@code quantile} (0..1) of the {@code total} counts lie: the middle of that bucket. */
    public static double millisAt(long[] counts, long total, double quantile) {
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return midMillis(i);
            }
        }
        return midMillis(counts.length - 1);
    }

    /** The middle of bucket {@code index}, in milliseconds. */
    public static double midMillis(int index) {
        double micros = lowerMicros(index) + (widthMicros(index) - 1) / 2.0;
        return Math.round(micros) / 1000.0;
    }

    /** The counts so far, bucket by bucket. */
    public long[] snapshot() {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }
}
