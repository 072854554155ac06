package io.locusttelemetry.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Locust's time spans: {@code 20}, {@code 20s}, {@code 3m}, {@code 2h}, {@code 1h20m}, {@code 3h30m10s}. */
public final class Timespan {
    private static final Pattern SPAN = Pattern.compile("^(?:(\\d+)h)?\\s*(?:(\\d+)m)?\\s*(?:(\\d+)s)?$");
    private static final long MAX_YEARS = 100;
    private static final long MAX_SECONDS = MAX_YEARS * 366 * 24 * 3600;

    private Timespan() {}

    /**
     * Seconds in {@code text}.
     *
     * @param option what the value is, named in the message, e.g. {@code --run-time}
     * @throws IllegalArgumentException with a one-line message naming {@code option} when invalid
     */
    public static long parseSeconds(String text, String option) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d+")) {
                return check(Long.parseLong(t));
            }
            Matcher m = SPAN.matcher(t);
            if (t.isEmpty() || !m.matches() || (m.group(1) == null && m.group(2) == null && m.group(3) == null)) {
                throw new IllegalArgumentException("Invalid " + option + " value '" + text
                        + "'. Valid formats are: 20, 20s, 3m, 2h, 1h20m, 3h30m10s, etc.");
            }
            long h = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            long min = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
            long s = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
            return check(Math.addExact(Math.addExact(Math.multiplyExact(h, 3600), Math.multiplyExact(min, 60)), s));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("Invalid " + option + " value '" + text + "': more than " + MAX_YEARS + " years");
        }
    }

    private static long check(long seconds) {
        if (seconds > MAX_SECONDS) {
            throw new ArithmeticException();
        }
        return seconds;
    }

    /** A duration as Locust prints it, e.g. {@code 1h20m} or {@code 30s}. */
    public static String format(long seconds) {
        StringBuilder sb = new StringBuilder();
        if (seconds >= 3600) {
            sb.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            sb.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 != 0 || sb.length() == 0) {
            sb.append(seconds % 60).append('s');
        }
        return sb.toString();
    }
}
