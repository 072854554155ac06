package io.locusttelemetry.protocol.internal;

import static io.locusttelemetry.protocol.ReportCheck.CLOCK_WINDOW_S;
import static io.locusttelemetry.protocol.ReportCheck.MAX_COUNT;
import static io.locusttelemetry.protocol.ReportCheck.MAX_NAME_CHARS;
import static io.locusttelemetry.protocol.ReportCheck.MAX_RESPONSE_MS;
import static io.locusttelemetry.protocol.ReportCheck.MAX_ROWS;

import java.math.BigInteger;
import java.util.Map;

/**
 * Checks a peer's values one after the other, keeping the first problem: counts, numbers, times
 * on the clock, texts, and maps of counters, within {@link io.locusttelemetry.protocol.ReportCheck}'s
 * limits. After a problem the later checks add nothing, so a caller checks a whole part and asks once.
 */
public class ValueChecks {
    /** The master's clock, in seconds since the epoch. */
    protected final double now;
    private String reason;

    public ValueChecks(double nowSeconds) {
        this.now = nowSeconds;
    }

    /** The first problem, or null. */
    public final String reason() {
        return reason;
    }

    /** True once a problem was found. */
    public final boolean failed() {
        return reason != null;
    }

    /** Keeps {@code why} unless a problem was found before. */
    public final void fail(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    /** A peer's value as a reason (or a log line) quotes it: at most 60 characters. */
    public static String shorten(Object v) {
        String s = String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** The histogram's total count, or -1 after a problem. */
    public long histogram(Object data, String where) {
        long sum = 0;
        if (data instanceof LongCounts c && !failed() && c.size() <= MAX_ROWS) {
            // the decoder's map of integers, read without boxing (the same checks as below)
            for (int i = 0; i < c.size(); i++) {
                long key = c.keyAt(i);
                if (key < 0 || key > MAX_RESPONSE_MS) {
                    fail(where + " has the bucket " + key);
                    return -1;
                }
                sum += countAt(c.valueAt(i), where, key);
            }
            return failed() ? -1 : sum;
        }
        for (Map.Entry<?, ?> e : counters(data, where).entrySet()) {
            Long key = Values.normaliseKey(e.getKey());
            if (key == null || key < 0 || key > MAX_RESPONSE_MS) {
                fail(where + " has the bucket " + shorten(e.getKey()));
                return -1;
            }
            sum += count(e.getValue(), where, key);
        }
        return failed() ? -1 : sum;
    }

    public void perSecond(Object data, String where) {
        if (data instanceof LongCounts c && !failed() && c.size() <= MAX_ROWS) {
            for (int i = 0; i < c.size() && !failed(); i++) {
                long second = c.keyAt(i);
                clock(second, where, " key");
                countAt(c.valueAt(i), where, second);
            }
            return;
        }
        for (Map.Entry<?, ?> e : counters(data, where).entrySet()) {
            Long second = Values.normaliseKey(e.getKey());
            if (second == null) {
                fail(where + " has the key " + shorten(e.getKey()));
                return;
            }
            clock(second, where, " key");
            count(e.getValue(), where, second);
            if (failed()) {
                return;
            }
        }
    }

    private Map<?, ?> counters(Object data, String where) {
        if (data == null || failed()) {
            return Map.of();
        }
        if (!(data instanceof Map<?, ?> m)) {
            fail(where + " is not a map");
            return Map.of();
        }
        if (m.size() > MAX_ROWS) {
            fail(where + " has " + m.size() + " keys");
            return Map.of();
        }
        return m;
    }

    /**
     * A count: an integer from 0 to MAX_COUNT (absent: 0). Where it is, for the reason, is
     * {@code where} followed by {@code part} (a field such as {@code ".num_requests"}, or a key
     * shown as {@code [key]}), joined only when the value fails: a report holds a thousand counts.
     */
    public long count(Object v, String where, Object part) {
        if (v == null) {
            return 0;
        }
        long n;
        if (v instanceof Long l) {
            return count(l.longValue(), where, part);
        } else if ((v instanceof Double || v instanceof Float) && Values.isNumber(v)) {
            double d = ((Number) v).doubleValue();
            if (!(d == Math.rint(d)) || Math.abs(d) > MAX_COUNT) {
                fail(at(where, part) + " is " + v + ", not a count");
                return 0;
            }
            n = (long) d;
        } else if (v instanceof BigInteger) {
            fail(at(where, part) + " is absurd (" + shorten(v) + ")");
            return 0;
        } else {
            fail(at(where, part) + " is not a number: " + shorten(v));
            return 0;
        }
        return count(n, where, part);
    }

    /** A count under the integer key {@code key} of a map of counters (the key joins {@code where} only on failure). */
    private long countAt(long n, String where, long key) {
        if (n >= 0 && n <= MAX_COUNT) {
            return n;
        }
        return count(n, where, (Object) key);
    }

    /** {@link #count(Object, String, Object)} of an integer. */
    public long count(long n, String where, Object part) {
        if (n < 0) {
            fail(at(where, part) + " is negative (" + n + ")");
            return 0;
        }
        if (n > MAX_COUNT) {
            fail(at(where, part) + " is absurd (" + n + ")");
            return 0;
        }
        return n;
    }

    /** A finite number from 0 to {@code max} (absent: 0); {@code where} and {@code part} as for {@link #count}. */
    public double number(Object v, String where, Object part, double max) {
        if (v == null) {
            return 0;
        }
        if (!Values.isNumber(v)) {
            fail(at(where, part) + " is not a number: " + shorten(v));
            return 0;
        }
        double d = ((Number) v).doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            fail(at(where, part) + " is " + d);
            return 0;
        }
        if (d < 0) {
            fail(at(where, part) + " is negative (" + d + ")");
            return 0;
        }
        if (d > max) {
            fail(at(where, part) + " is absurd (" + d + ")");
            return 0;
        }
        return d;
    }

    public void clock(double seconds, String where, String part) {
        if (!failed() && Math.abs(seconds - now) > CLOCK_WINDOW_S) {
            fail(where + part + " " + (long) seconds + " is more than a day away from this master's clock (" + (long) now + ")");
        }
    }

    public void text(Object v, String where, String part, boolean nullable) {
        if (v == null && nullable) {
            return;
        }
        if (!(v instanceof String s)) {
            fail(where + part + " is not a string: " + shorten(v));
        } else if (s.length() > MAX_NAME_CHARS) {
            fail(where + part + " has " + s.length() + " characters");
        }
    }

    private static String at(String where, Object part) {
        return part instanceof String field ? where + field : where + "[" + shorten(part) + "]";
    }
}
