package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.http.HttpSession;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as options take them: {@code 1048576} (bytes), {@code 512KiB}, {@code 64MiB}, {@code 1GiB}, {@code 10MB}. */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("^(\\d{1,19})\\s*(b|kb|kib|mb|mib|gb|gib)?$");

    private ByteSizes() {}

    /**
     * The bytes in {@code text}, or {@code fallback} when it is null; throws {@link CliException}
     * naming {@code option} when it is not a size from 1 byte to just under 2 GiB.
     */
    public static long parse(String text, String option, long fallback) {
        if (text == null) {
            return fallback;
        }
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        long bytes = -1;
        if (m.matches()) {
            long unit = switch (m.group(2) == null ? "b" : m.group(2)) {
                case "kb" -> 1000L;
                case "kib" -> 1L << 10;
                case "mb" -> 1000L * 1000;
                case "mib" -> 1L << 20;
                case "gb" -> 1000L * 1000 * 1000;
                case "gib" -> 1L << 30;
                default -> 1L;
            };
            try {
                bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
            } catch (ArithmeticException | NumberFormatException e) {
                bytes = Long.MAX_VALUE;
            }
        }
        if (bytes < 0) {
            throw new CliException("Invalid " + option + " value '" + text
                    + "'. Valid formats are: 1048576 (bytes), 512KiB, 64MiB, 1GiB, 10MB");
        }
        if (bytes == 0 || bytes > HttpSession.LARGEST_MAX_BODY_SIZE) {
            throw new CliException("Invalid " + option + " value '" + text + "': it must be from 1 byte to "
                    + HttpSession.LARGEST_MAX_BODY_SIZE + " bytes (just under 2GiB)");
        }
        return bytes;
    }
}
