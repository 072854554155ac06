package io.locusttelemetry.engine.stats;

/**
 * Locust's response-time histogram buckets: a response time in milliseconds is rounded to the
 * nearest integer below 100 ms, to the nearest 10 below 1 s, to the nearest 100 below 10 s, and
 * to the nearest 1000 above, with round-half-to-even as Python's {@code round}. Workers send these
 * keys on the wire, so the rule must match Locust exactly.
 */
public final class ResponseTimeBuckets {

    /** Number of dense slots: keys 0..99, 100..990 step 10, 1000..9900 step 100, 10000..99000 step 1000. */
    public static final int DENSE_SLOTS = 100 + 90 + 90 + 90;

    private ResponseTimeBuckets() {}

    /** The bucket key (ms) for a response time given in microseconds. */
    public static long keyForMicros(long micros) {
        if (micros < 0) {
            micros = 0;
        }
        if (micros < 100_000) {
            return roundHalfEven(micros, 1_000);
        }
        if (micros < 1_000_000) {
            return roundHalfEven(micros, 10_000) * 10;
        }
        if (micros < 10_000_000) {
            return roundHalfEven(micros, 100_000) * 100;
        }
        return roundHalfEven(micros, 1_000_000) * 1000;
    }

    /** The bucket key for a response time given in (possibly fractional) milliseconds. */
    public static long keyForMillis(double millis) {
        return keyForMicros(Math.round(millis * 1000.0));
    }

    /** Dense slot index of a bucket key, or -1 when the key lies outside the dense grid. */
    public static int slotOf(long key) {
        if (key < 0) {
            return -1;
        }
        if (key < 100) {
            return (int) key;
        }
        if (key < 1000) {
            return key % 10 == 0 ? 100 + (int) ((key - 100) / 10) : -1;
        }
        if (key < 10_000) {
            return key % 100 == 0 ? 190 + (int) ((key - 1000) / 100) : -1;
        }
        if (key < 100_000) {
            return key % 1000 == 0 ? 280 + (int) ((key - 10_000) / 1000) : -1;
        }
        return -1;
    }

    /** The bucket key of a dense slot. */
    public static long keyOfSlot(int slot) {
        if (slot < 100) {
            return slot;
        }
        if (slot < 190) {
            return 100 + (slot - 100) * 10L;
        }
        if (slot < 280) {
            return 1000 + (slot - 190) * 100L;
        }
        return 10_000 + (slot - 280) * 1000L;
    }

    private static long roundHalfEven(long value, long unit) {
        long q = value / unit;
        long r = value - q * unit;
        long twice = r * 2;
        if (twice > unit || (twice == unit && (q & 1) == 1)) {
            q++;
        }
        return q;
    }
}
