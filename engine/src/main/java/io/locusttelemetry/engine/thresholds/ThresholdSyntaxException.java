package io.locusttelemetry.engine.thresholds;

/**
 * A threshold that does not parse: what was expected and where, as a column (1 for the first
 * character, one past the end for a missing part).
 */
public final class ThresholdSyntaxException extends IllegalArgumentException {
    private final String expression;
    private final int column;
    private final String reason;

    ThresholdSyntaxException(String expression, int column, String reason) {
        super("'" + printable(expression) + "': " + printable(reason) + " at column " + column, null);
        this.expression = expression;
        this.column = column;
        this.reason = reason;
    }

    /** Control characters as {@code \xNN}, so that the message is one printable line. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                sb.append(String.format(java.util.Locale.ROOT, c <= 0xff ? "\\x%02x" : "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The expression as given. */
    public String expression() {
        return expression;
    }

    /** Where the problem is, counting characters (code points) from 1. */
    public int column() {
        return column;
    }

    /** What was wrong, e.g. {@code expected a number}. */
    public String reason() {
        return reason;
    }

    /** The message with where the expression came from: {@code --threshold 'p95<': expected a number at column 5}. */
    public String describe(String source) {
        return source + " " + getMessage();
    }
}
