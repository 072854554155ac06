package io.locusttelemetry.cli.internal;

/**
 * Text from users' code (request names, error messages, option values) on its way to a terminal or
 * a report: control characters escaped for one-line display, unpaired surrogates replaced.
 */
public final class Text {
    /** U+FFFD, what an unpaired UTF-16 surrogate becomes in a report. */
    public static final char REPLACEMENT = '\uFFFD';

    private Text() {}

    /**
     * The text on one line as it can be shown on a terminal: newlines, tabs, escape sequences and
     * other control characters become {@code \n}, {@code \t}, {@code \x1b}...; unpaired surrogates
     * become U+FFFD. Printable text, non-ASCII letters included, stays as it is.
     */
    public static String escapeControl(String s) {
        if (s == null) {
            return "";
        }
        int i = 0;
        while (i < s.length() && !needsEscape(s, i)) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    sb.append(c).append(s.charAt(++i));
                } else {
                    sb.append(REPLACEMENT);
                }
                continue;
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (isControl(c)) {
                        sb.append(c <= 0xff ? String.format(java.util.Locale.ROOT, "\\x%02x", (int) c) : String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** The text with every unpaired surrogate replaced by U+FFFD, so that it encodes as UTF-8. */
    public static String wellFormed(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (sb == null && !paired) {
                sb = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (paired) {
                if (sb != null) {
                    sb.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else {
                sb.append(REPLACEMENT);
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static boolean needsEscape(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return !(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)));
        }
        if (Character.isLowSurrogate(c)) {
            return !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)));
        }
        return isControl(c);
    }

    /** C0 and C1 controls, DEL, and the line and paragraph separators a terminal breaks lines at. */
    private static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029';
    }
}
