package io.locusttelemetry.engine.http.internal;

import java.io.IOException;
import java.net.SocketException;

/**
 * Reads HTTP/1.1 responses off a connection: status line, headers, and the body by
 * {@code Content-Length}, chunks or until the connection closes. One per session; its buffers
 * are reused from response to response and dropped with the connection.
 */
final class ResponseReader {
    private final ByteSink line = new ByteSink(256, true);
    private final ByteSink headBlock = new ByteSink(512, true);
    private final ByteSink chunked = new ByteSink(256, true);

    int status;
    byte[] head;
    byte[] body;
    /** The {@code Location} of a redirect, else null. */
    String location;
    /** Whether the connection must be closed after this response. */
    boolean close;

    /** Reads the response to a {@code method} request from {@code c}, storing cookies set by {@code host}. */
    void read(Http1Connection c, String method, String host, Http1Client.Cookies cookies) throws IOException {
        int status;
        long contentLength;
        boolean chunkedBody;
        boolean close;
        String location;
        do {
            headBlock.reset();
            if (!c.readLine(line)) {
                throw new SocketException("Connection closed by server before response");
            }
            byte[] l = line.array();
            if (line.length() < 12 || l[0] != 'H' || l[4] != '/') {
                throw new IOException("malformed HTTP status line: " + line.latin1(0, Math.min(line.length(), 80)));
            }
            status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
            boolean http10 = l[7] == '0';
            headBlock.write(l, 0, line.length());
            headBlock.crlf();
            contentLength = -1;
            chunkedBody = false;
            close = http10;
            location = null;
            boolean redirect = Http1Client.isRedirect(status);
            while (true) {
                if (!c.readLine(line)) {
                    throw new IOException("connection closed in the middle of response headers");
                }
                int n = line.length();
                if (n == 0) {
                    break;
                }
                byte[] b = line.array();
                headBlock.write(b, 0, n);
                headBlock.crlf();
                int colon = indexOf(b, n, (byte) ':');
                if (colon <= 0) {
                    continue;
                }
                if (nameIs(b, colon, "content-length")) {
                    contentLength = parseLong(b, colon + 1, n);
                } else if (nameIs(b, colon, "transfer-encoding")) {
                    chunkedBody = containsIgnoreCase(b, colon + 1, n, "chunked");
                } else if (nameIs(b, colon, "connection")) {
                    if (containsIgnoreCase(b, colon + 1, n, "close")) {
                        close = true;
                    } else if (containsIgnoreCase(b, colon + 1, n, "keep-alive")) {
                        close = false;
                    }
                } else if (nameIs(b, colon, "set-cookie")) {
                    cookies.store(host, line.latin1(colon + 1, n).trim());
                } else if (redirect && location == null && nameIs(b, colon, "location")) {
                    location = line.latin1(colon + 1, n).trim();
                }
            }
        } while (status >= 100 && status < 200 && status != 101);

        byte[] body;
        if ("HEAD".equals(method) || status == 204 || status == 304) {
            body = null;
        } else if (chunkedBody) {
            body = readChunked(c);
        } else if (contentLength >= 0) {
            if (contentLength > Integer.MAX_VALUE - 16) {
                throw new IOException("response body too large: " + contentLength + " bytes");
            }
            body = new byte[(int) contentLength];
            c.readFully(body, 0, (int) contentLength);
        } else {
            chunked.reset();
            c.readToEnd(chunked);
            body = chunked.toByteArray();
            close = true;
        }
        this.status = status;
        this.head = headBlock.toByteArray();
        this.body = body;
        this.location = location;
        this.close = close;
    }

    /** Drops the buffers: a user without an open connection keeps none while it waits. */
    void release() {
        line.release();
        headBlock.release();
        chunked.release();
    }

    private byte[] readChunked(Http1Connection c) throws IOException {
        chunked.reset();
        byte[] tmp = null;
        while (true) {
            if (!c.readLine(line)) {
                throw new IOException("connection closed in a chunked body");
            }
            long size = 0;
            byte[] b = line.array();
            for (int i = 0; i < line.length(); i++) {
                int d = Character.digit(b[i], 16);
                if (d < 0) {
                    break;
                }
                size = size * 16 + d;
            }
            if (size == 0) {
                while (c.readLine(line) && line.length() > 0) {
                    // trailers are ignored
                }
                return chunked.toByteArray();
            }
            if (tmp == null || tmp.length < size) {
                tmp = new byte[(int) Math.max(size, 8192)];
            }
            c.readFully(tmp, 0, (int) size);
            chunked.write(tmp, 0, (int) size);
            c.readLine(line);
        }
    }

    private static int indexOf(byte[] b, int n, byte v) {
        for (int i = 0; i < n; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static boolean nameIs(byte[] b, int nameEnd, String lower) {
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

    private static long parseLong(byte[] b, int from, int to) {
        long v = 0;
        boolean any = false;
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
                any = true;
            } else if (any) {
                break;
            }
        }
        return any ? v : -1;
    }

    private static boolean containsIgnoreCase(byte[] b, int from, int to, String lower) {
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
}
