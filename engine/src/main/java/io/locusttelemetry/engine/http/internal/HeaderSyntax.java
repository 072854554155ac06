package io.locusttelemetry.engine.http.internal;

import java.net.ProtocolException;

/** The byte-level rules of HTTP/1.1 response heads (RFC 9110, 9112), on lines read off the wire. */
final class HeaderSyntax {
    /** How much of a bad line an error message quotes. */
    private static final int QUOTED = 80;
    /** Digits of a Content-Length (up to 10^18) and hex digits of a chunk size (up to 2^60). */
    private static final int MAX_DIGITS = 18;
    private static final int MAX_HEX_DIGITS = 15;
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private HeaderSyntax() {}

    /** Whether {@code b[0, n)} is {@code HTTP/1.x NNN[ reason]} with a status of 100-999. */
    static boolean isStatusLine(byte[] b, int n) {
        return n >= 12 && b[0] == 'H' && b[1] == 'T' && b[2] == 'T' && b[3] == 'P' && b[4] == '/' && b[5] == '1'
                && b[6] == '.' && isDigit(b[7]) && b[8] == ' ' && b[9] >= '1' && b[9] <= '9' && isDigit(b[10])
                && isDigit(b[11]) && (n == 12 || b[12] == ' ') && !hasControl(b, 12, n);
    }

    static int status(byte[] b) {
        return (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
    }

    /** The index of the colon after a well-formed field name at the start of {@code b[0, n)}, or -1. */
    static int fieldNameEnd(byte[] b, int n) {
        int i = 0;
        while (i < n && TOKEN[b[i] & 0xff]) {
            i++;
        }
        return i > 0 && i < n && b[i] == ':' && !hasControl(b, i + 1, n) ? i : -1;
    }

    /** Whether {@code b[from, to)} holds a control character other than a tab (a bare CR, NUL, DEL...). */
    static boolean hasControl(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code s} is a field name (a token), as a protocol that hands over decoded headers (HTTP/2) gives it. */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff || !TOKEN[c]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} can be one line's field value: no control character but the tab (no CR, LF, NUL, DEL). */
    static boolean isFieldValue(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    static boolean nameIs(byte[] b, int nameEnd, String lower) {
        if (nameEnd != lower.length()) {
            return false;
        }
        for (int i = 0; i < nameEnd; i++) {
            int c = b[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean containsIgnoreCase(byte[] b, int from, int to, String lower) {
        outer:
        for (int i = from; i + lower.length() <= to; i++) {
            for (int j = 0; j < lower.length(); j++) {
                int c = b[i + j];
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != lower.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * The value of a Content-Length field in {@code b[from, to)}: digits, or a list of equal ones
     * ({@code 42, 42}) as a proxy may join them.
     */
    static long contentLength(byte[] b, int from, int to) throws ProtocolException {
        long value = -1;
        int i = from;
        while (true) {
            while (i < to && isSpace(b[i])) {
                i++;
            }
            int start = i;
            long v = 0;
            while (i < to && isDigit(b[i]) && i - start < MAX_DIGITS) {
                v = v * 10 + (b[i++] - '0');
            }
            int digits = i - start;
            while (i < to && isSpace(b[i])) {
                i++;
            }
            if (digits == 0 || (i < to && b[i] != ',') || (value >= 0 && v != value)) {
                throw new ProtocolException("malformed Content-Length: " + quoteValue(b, from, to));
            }
            value = v;
            if (i == to) {
                return value;
            }
            i++;
        }
    }

    /** Whether the last coding in the Transfer-Encoding value {@code b[from, to)} is chunked. */
    static boolean endsWithChunked(byte[] b, int from, int to) {
        int end = to;
        while (end > from && isSpace(b[end - 1])) {
            end--;
        }
        int start = end;
        while (start > from && b[start - 1] != ',' && !isSpace(b[start - 1])) {
            start--;
        }
        return nameIsAt(b, start, end, "chunked");
    }

    /** The size on a chunk-size line: hex digits, optionally followed by {@code ;extensions}. */
    static long chunkSize(byte[] b, int n) throws ProtocolException {
        long size = 0;
        int i = 0;
        while (i < n && i < MAX_HEX_DIGITS) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                break;
            }
            size = size << 4 | d;
            i++;
        }
        int digits = i;
        while (i < n && isSpace(b[i])) {
            i++;
        }
        if (digits == 0 || i < n && b[i] != ';' || hasControl(b, i, n)) {
            boolean tooLarge = digits == MAX_HEX_DIGITS && i < n && Character.digit(b[i], 16) >= 0;
            throw new ProtocolException((tooLarge ? "chunk size too large: " : "malformed chunk size line: ") + quote(b, 0, n));
        }
        return size;
    }

    /** {@code b[from, to)} in quotes for an error message: at most 80 bytes, anything unprintable escaped. */
    static String quote(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(QUOTED + 8).append('"');
        int end = Math.min(to, from + QUOTED);
        for (int i = from; i < end; i++) {
            int c = b[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '\'') {
                sb.append((char) c);
            } else {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        sb.append('"');
        if (to > end) {
            sb.append("... (").append(to - from).append(" bytes)");
        }
        return sb.toString();
    }

    /** A field value in quotes, without the spaces around it. */
    static String quoteValue(byte[] b, int from, int to) {
        while (from < to && isSpace(b[from])) {
            from++;
        }
        while (to > from && isSpace(b[to - 1])) {
            to--;
        }
        return quote(b, from, to);
    }

    private static boolean nameIsAt(byte[] b, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        return containsIgnoreCase(b, from, to, lower);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }
}
