package io.locusttelemetry.engine.http.internal;

import io.locusttelemetry.engine.http.spi.Exchanges;
import static io.locusttelemetry.engine.http.internal.HeaderSyntax.containsIgnoreCase;
import static io.locusttelemetry.engine.http.internal.HeaderSyntax.nameIs;
import static io.locusttelemetry.engine.http.internal.HeaderSyntax.quote;

import java.io.IOException;
import java.net.ProtocolException;
import java.util.Arrays;

/**
 * Reads HTTP/1.1 responses off a connection: status line, headers, and the body by
 * {@code Content-Length}, chunks or until the connection closes. One per session; its buffers
 * are reused from response to response and dropped with the connection.
 *
 * <p>A response is checked as it arrives, and whatever breaks the rules or the limits fails the
 * request with a {@link ProtocolException} (the caller then closes the connection): a status line
 * that is not {@code HTTP/1.x} and three digits, a header line that is not a field, a bad or
 * conflicting Content-Length, a bad chunk size, a line over 64 KiB, a head over 1 MiB or 1,000
 * lines, a body over the request's limit. A body is read as it arrives, never allocated from what
 * the server announces, and a buffer that one large response grew is dropped after it.
 */
final class ResponseReader {
    static final int MAX_LINE = 64 * 1024;
    static final int MAX_HEAD = Exchanges.MAX_HEAD;
    static final int MAX_HEAD_LINES = 1000;
    /** A body up to this size is read into an array of its announced length at once. */
    private static final int EXACT_BODY = 64 * 1024;
    /** Buffers that grew past this are dropped after the response. */
    private static final int KEEP = 64 * 1024;

    private final ByteSink line = new ByteSink(256, true);
    private final ByteSink headBlock = new ByteSink(512, true);
    private final ByteSink bodySink = new ByteSink(256, true);
    private int headBytes;
    private int headLines;

    int status;
    byte[] head;
    byte[] body;
    /** The {@code Location} of a redirect, else null. */
    String location;
    /** Whether the connection must be closed after this response. */
    boolean close;

    /**
     * Reads the response to a {@code method} request from {@code c}, storing cookies set by
     * {@code host}; a body over {@code maxBody} bytes fails the request.
     */
    void read(Http1Connection c, String method, String host, Http1Client.Cookies cookies, long maxBody) throws IOException {
        int status;
        long contentLength;
        boolean transferEncoding;
        boolean chunked;
        boolean close;
        String location;
        headBytes = 0;
        headLines = 0;
        do {
            headBlock.reset();
            if (!nextHeadLine(c)) {
                throw new ProtocolException("connection closed in the response's status line, after "
                        + line.length() + " bytes: " + quote(line.array(), 0, line.length()));
            }
            byte[] l = line.array();
            int n = line.length();
            if (!HeaderSyntax.isStatusLine(l, n)) {
                throw new ProtocolException("malformed HTTP status line: " + quote(l, 0, n));
            }
            status = HeaderSyntax.status(l);
            headBlock.write(l, 0, n);
            headBlock.crlf();
            contentLength = -1;
            transferEncoding = false;
            chunked = false;
            close = l[7] == '0';
            location = null;
            boolean redirect = Http1Client.isRedirect(status);
            while (true) {
                if (!nextHeadLine(c)) {
                    throw new ProtocolException("connection closed in the middle of response headers");
                }
                int len = line.length();
                if (len == 0) {
                    break;
                }
                byte[] b = line.array();
                int colon = HeaderSyntax.fieldNameEnd(b, len);
                if (colon < 0) {
                    throw new ProtocolException("malformed HTTP header line: " + quote(b, 0, len));
                }
                headBlock.write(b, 0, len);
                headBlock.crlf();
                if (nameIs(b, colon, "content-length")) {
                    long v = HeaderSyntax.contentLength(b, colon + 1, len);
                    if (contentLength >= 0 && v != contentLength) {
                        throw new ProtocolException("conflicting Content-Length headers: " + contentLength + " and " + v);
                    }
                    contentLength = v;
                } else if (nameIs(b, colon, "transfer-encoding")) {
                    transferEncoding = true;
                    chunked = HeaderSyntax.endsWithChunked(b, colon + 1, len);
                } else if (nameIs(b, colon, "connection")) {
                    if (containsIgnoreCase(b, colon + 1, len, "close")) {
                        close = true;
                    } else if (containsIgnoreCase(b, colon + 1, len, "keep-alive")) {
                        close = false;
                    }
                } else if (nameIs(b, colon, "set-cookie")) {
                    cookies.store(host, line.latin1(colon + 1, len).trim());
                } else if (redirect && location == null && nameIs(b, colon, "location")) {
                    location = line.latin1(colon + 1, len).trim();
                }
            }
        } while (status >= 100 && status < 200 && status != 101);

        byte[] body;
        if (status == 101) {
            // the connection now speaks another protocol: nothing more to read as HTTP/1.1
            body = null;
            close = true;
        } else if ("HEAD".equals(method) || status == 204 || status == 304) {
            body = null;
        } else if (transferEncoding) {
            // Transfer-Encoding wins over a Content-Length, and such a response may be a smuggling
            // attempt: the connection is not reused after it
            close |= contentLength >= 0;
            if (chunked) {
                close |= readChunked(c, maxBody);
            } else {
                readToEnd(c, maxBody);
                close = true;
            }
            body = bodySink.toByteArray();
        } else if (contentLength >= 0) {
            if (contentLength > maxBody) {
                throw overLimit(maxBody);
            }
            body = readBody(c, (int) contentLength);
        } else {
            readToEnd(c, maxBody);
            body = bodySink.toByteArray();
            close = true;
        }
        this.status = status;
        this.head = headBlock.toByteArray();
        this.body = body;
        this.location = location;
        this.close = close;
        line.releaseIfLarger(KEEP);
        headBlock.releaseIfLarger(KEEP);
        bodySink.releaseIfLarger(KEEP);
    }

    /** Drops the buffers: a user without an open connection keeps none while it waits. */
    void release() {
        line.release();
        headBlock.release();
        bodySink.release();
    }

    /** Reads a line of the head (or of the trailers) within the limits of a head. */
    private boolean nextHeadLine(Http1Connection c) throws IOException {
        if (!c.readLine(line, MAX_LINE)) {
            return false;
        }
        headBytes += line.length() + 2;
        if (headBytes > MAX_HEAD) {
            throw Exchanges.headOverLimit(MAX_HEAD);
        }
        if (++headLines > MAX_HEAD_LINES) {
            throw new ProtocolException("response head over the limit of " + MAX_HEAD_LINES + " lines");
        }
        return true;
    }

    /** A body of a known length: read in one array when small, else in arrays that grow as it arrives. */
    private static byte[] readBody(Http1Connection c, int length) throws IOException {
        byte[] dst = new byte[Math.min(length, EXACT_BODY)];
        int got = 0;
        while (true) {
            c.readFully(dst, got, dst.length - got);
            got = dst.length;
            if (got == length) {
                return dst;
            }
            dst = Arrays.copyOf(dst, (int) Math.min(length, 2L * got));
        }
    }

    /** Reads a chunked body into the body buffer; returns true if the connection must close after it. */
    private boolean readChunked(Http1Connection c, long maxBody) throws IOException {
        bodySink.reset();
        while (true) {
            if (!c.readLine(line, MAX_LINE)) {
                throw new ProtocolException("connection closed in a chunked body");
            }
            long size = HeaderSyntax.chunkSize(line.array(), line.length());
            if (size == 0) {
                break;
            }
            if (size > maxBody - bodySink.length()) {
                throw overLimit(maxBody);
            }
            c.readInto(bodySink, size);
            if (!c.readLine(line, MAX_LINE)) {
                throw new ProtocolException("connection closed in a chunked body");
            }
            if (line.length() != 0) {
                throw new ProtocolException("chunk longer than its size line says: " + quote(line.array(), 0, line.length()));
            }
        }
        // trailers count against the head's limits; they are not kept
        while (true) {
            if (!nextHeadLine(c)) {
                return true;
            }
            int len = line.length();
            if (len == 0) {
                return false;
            }
            if (HeaderSyntax.fieldNameEnd(line.array(), len) < 0) {
                throw new ProtocolException("malformed HTTP trailer line: " + quote(line.array(), 0, len));
            }
        }
    }

    private void readToEnd(Http1Connection c, long maxBody) throws IOException {
        bodySink.reset();
        while (true) {
            long room = maxBody - bodySink.length();
            if (c.readSome(bodySink, (int) Math.min(room + 1, Integer.MAX_VALUE)) < 0) {
                return;
            }
            if (bodySink.length() > maxBody) {
                throw overLimit(maxBody);
            }
        }
    }

    private static ProtocolException overLimit(long maxBody) {
        return Exchanges.bodyOverLimit(maxBody);
    }
}
