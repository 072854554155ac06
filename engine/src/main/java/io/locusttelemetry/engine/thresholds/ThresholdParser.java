package io.locusttelemetry.engine.thresholds;

import java.time.Duration;

/**
 * The grammar of {@link ThresholdExpression}, read left to right in one pass. The endpoint is
 * everything before the last {@code ':'} (the rest never holds one), or a name in double quotes.
 */
final class ThresholdParser {
    /** Longer text is refused before it is read: no threshold needs it, and messages quote the text. */
    static final int MAX_LENGTH = 1000;

    private final String s;
    private int pos;

    ThresholdParser(String text) {
        this.s = text == null ? "" : text;
    }

    ThresholdExpression parse() {
        if (s.length() > MAX_LENGTH) {
            throw error(MAX_LENGTH, "longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw error(i, "unexpected control character");
            }
        }
        skipSpace();
        if (pos == s.length()) {
            throw error(pos, "expected a threshold such as p95<300");
        }
        String endpoint = endpoint();
        skipSpace();
        Metric metric = metric();
        skipSpace();
        ThresholdExpression.Comparison comparison = comparison();
        skipSpace();
        double limit = limit(metric);
        boolean abort = false;
        Duration delay = Duration.ZERO;
        boolean delaySeen = false;
        while (true) {
            int before = pos;
            skipSpace();
            if (pos == s.length()) {
                break;
            }
            if (pos == before) {
                throw error(pos, "expected a space before '" + word(pos) + "'");
            }
            int start = pos;
            String word = word(pos);
            pos += word.length();
            if (word.equals("abort-on-fail")) {
                if (abort) {
                    throw error(start, "abort-on-fail given twice");
                }
                abort = true;
            } else if (word.startsWith("delay=")) {
                if (!abort) {
                    throw error(start, "delay= needs abort-on-fail before it");
                }
                if (delaySeen) {
                    throw error(start, "delay= given twice");
                }
                delaySeen = true;
                delay = duration(word.substring("delay=".length()), start + "delay=".length());
            } else {
                throw error(start, "unexpected '" + word + "' (expected abort-on-fail or delay=DURATION)");
            }
        }
        return new ThresholdExpression(s.strip(), endpoint, metric, comparison, limit, abort, delay);
    }

    private String endpoint() {
        if (s.charAt(pos) == '"') {
            int close = s.indexOf('"', pos + 1);
            if (close < 0) {
                throw error(s.length(), "expected a closing '\"' for the endpoint name");
            }
            String name = s.substring(pos + 1, close);
            pos = close + 1;
            skipSpace();
            if (pos == s.length() || s.charAt(pos) != ':') {
                throw error(pos, "expected ':' after the endpoint name");
            }
            pos++;
            if (name.isBlank()) {
                throw error(close, "expected an endpoint name between the quotes");
            }
            return name;
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        String name = s.substring(pos, colon).strip();
        if (name.isEmpty()) {
            throw error(colon, "expected an endpoint name before ':'");
        }
        pos = colon + 1;
        return name;
    }

    private Metric metric() {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) && s.charAt(pos) < 0x80 || s.charAt(pos) == '_'
                || s.charAt(pos) == '.')) {
            pos++;
        }
        if (pos == start) {
            throw error(start, "expected a metric (" + Metric.knownNames() + ")");
        }
        String name = s.substring(start, pos);
        Metric m = Metric.named(name);
        if (m == null) {
            throw error(start, "unknown metric '" + name + "' (expected " + Metric.knownNames() + ")");
        }
        return m;
    }

    private ThresholdExpression.Comparison comparison() {
        for (String op : new String[] {"<=", ">=", "==", "<", ">"}) {
            if (s.startsWith(op, pos)) {
                pos += op.length();
                return switch (op) {
                    case "<=" -> ThresholdExpression.Comparison.LESS_OR_EQUAL;
                    case ">=" -> ThresholdExpression.Comparison.GREATER_OR_EQUAL;
                    case "==" -> ThresholdExpression.Comparison.EQUAL;
                    case "<" -> ThresholdExpression.Comparison.LESS;
                    default -> ThresholdExpression.Comparison.GREATER;
                };
            }
        }
        throw error(pos, "expected a comparison (<, <=, >, >= or ==)");
    }

    private double limit(Metric metric) {
        int start = pos;
        double value = number("expected a number");
        int unitStart = pos;
        while (pos < s.length() && !isSpace(s.charAt(pos))) {
            pos++;
        }
        String unit = s.substring(unitStart, pos);
        if (unit.isEmpty()) {
            return value;
        }
        double scaled = switch (metric.unit()) {
            case MILLISECONDS -> unit.equals("ms") ? value : unit.equals("s") ? value * 1000 : Double.NaN;
            case RATIO -> unit.equals("%") ? value / 100 : Double.NaN;
            case PER_SECOND -> unit.equals("/s") ? value : Double.NaN;
            case COUNT -> Double.NaN;
        };
        if (Double.isNaN(scaled)) {
            String fits = switch (metric.unit()) {
                case MILLISECONDS -> "a response time: write 300, 300ms or 0.3s";
                case RATIO -> "a ratio: write 0.01 or 1%";
                case PER_SECOND -> "a rate: write 100 or 100/s";
                case COUNT -> "a count: write a number without a unit";
            };
            throw error(unitStart, "'" + unit + "' does not fit " + metric.name() + " (" + fits + ")");
        }
        if (Double.isInfinite(scaled)) {
            throw error(start, "the number is too large");
        }
        return scaled;
    }

    /** Digits, optionally a point and more digits. */
    private double number(String expected) {
        int start = pos;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error(start, expected);
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            int fraction = pos;
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == fraction) {
                throw error(pos, "expected a digit after the decimal point");
            }
        }
        double v = Double.parseDouble(s.substring(start, pos));
        if (Double.isInfinite(v)) {
            throw error(start, "the number is too large");
        }
        return v;
    }

    private Duration duration(String text, int offset) {
        int i = 0;
        while (i < text.length() && (isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
            i++;
        }
        String digits = text.substring(0, i);
        String unit = text.substring(i);
        long factor = switch (unit) {
            case "ms" -> 1;
            case "", "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> -1;
        };
        if (!digits.matches("\\d{1,9}(\\.\\d{1,3})?") || factor < 0) {
            throw error(offset, "expected a duration such as 10s, 500ms or 2m after delay=");
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(digits) * factor));
    }

    private String word(int from) {
        int end = from;
        while (end < s.length() && !isSpace(s.charAt(end))) {
            end++;
        }
        return s.substring(from, end);
    }

    private void skipSpace() {
        while (pos < s.length() && isSpace(s.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private ThresholdSyntaxException error(int index, String reason) {
        int column = s.codePointCount(0, Math.min(index, s.length())) + 1;
        String shown = s.length() > MAX_LENGTH ? s.substring(0, 40) + "..." : s;
        return new ThresholdSyntaxException(shown, column, reason);
    }
}
