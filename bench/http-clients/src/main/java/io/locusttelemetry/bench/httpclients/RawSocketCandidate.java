package io.locusttelemetry.bench.httpclients;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client: one blocking {@link Socket} per user, kept alive, no pool.
 *
 * <p>It exists to show the ceiling of the "one socket per virtual thread" design, not as a
 * general client: plain HTTP only, GET only, no redirects. It does handle Content-Length,
 * chunked and read-to-close bodies, interim 1xx responses, {@code Connection: close}, HTTP/1.0
 * peers, and one retry when a reused connection turns out to be closed by the server.
 *
 * <p>Longer than 400 lines on purpose: each candidate is one self-contained file, so that what
 * the benchmark measures is exactly what one reads here.
 */
final class RawSocketCandidate implements Candidate {

    private final InetSocketAddress address;
    private final byte[] request;
    private final int soTimeoutMillis;

    /** {@code soTimeoutMillis} 0 disables the read timeout (then a read parks without a timer). */
    RawSocketCandidate(URI uri, int soTimeoutMillis) {
        this.soTimeoutMillis = soTimeoutMillis;
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("raw-socket supports http:// only: " + uri);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        this.address = new InetSocketAddress(uri.getHost(), port);
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            target += "?" + uri.getRawQuery();
        }
        String hostHeader = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + port;
        this.request = ("GET " + target + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: raw-socket-bench\r\n"
                + "Accept: */*\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public UserClient newUser(int index) {
        return new Connection(address, request, soTimeoutMillis);
    }

    @Override
    public String describe() {
        return "hand-written HTTP/1.1 over java.net.Socket, one keep-alive socket per user,"
                + " TCP_NODELAY, reused 16 KiB read buffer and body buffer, SO_TIMEOUT="
                + (soTimeoutMillis == 0 ? "none" : soTimeoutMillis + " ms");
    }

    /** Thrown when the peer closed the connection before sending any byte of the response. */
    private static final class ClosedBeforeResponse extends EOFException {
        ClosedBeforeResponse() {
            super("connection closed before the response started");
        }
    }

    static final class Connection implements UserClient {
        private static final int MAX_HEAD = 64 * 1024;

        private final InetSocketAddress address;
        private final byte[] request;
        private final int soTimeoutMillis;

        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean reused;
        private int status;

        private byte[] buf = new byte[16 * 1024];
        private int pos;
        private int lim;
        private final byte[] body = new byte[16 * 1024];
        private int bodyOff;

        Connection(InetSocketAddress address, byte[] request, int soTimeoutMillis) {
            this.address = address;
            this.request = request;
            this.soTimeoutMillis = soTimeoutMillis;
        }

        @Override
        public int get() throws IOException {
            for (int attempt = 0; ; attempt++) {
                if (socket == null) {
                    connect();
                }
                // A kept-alive connection may have been closed by the server between requests;
                // a GET is safe to send again, once, on a fresh connection.
                boolean mayRetry = reused && attempt == 0;
                try {
                    out.write(request);
                } catch (IOException e) {
                    closeSocket();
                    if (mayRetry) {
                        continue;
                    }
                    throw e;
                }
                int n;
                try {
                    n = readResponse();
                    reused = socket != null;
                } catch (ClosedBeforeResponse e) {
                    closeSocket();
                    if (mayRetry) {
                        continue;
                    }
                    throw e;
                } catch (IOException | RuntimeException e) {
                    closeSocket();
                    throw e;
                }
                // The response was read completely, so the connection stays usable either way.
                if (status != 200) {
                    throw new IOException("status " + status);
                }
                return n;
            }
        }

        private void connect() throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(address, 5_000);
                s.setSoTimeout(soTimeoutMillis);
                in = s.getInputStream();
                out = s.getOutputStream();
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            reused = false;
            pos = 0;
            lim = 0;
        }

        private int readResponse() throws IOException {
            boolean first = true;
            while (true) {
                int headEnd = readHead(first);
                first = false;
                int p = pos;
                // Status line: HTTP/1.x SSS reason
                if (headEnd - p < 12 || !startsWith(p, "HTTP/1.") || buf[p + 8] != ' ') {
                    throw new IOException("malformed status line");
                }
                boolean http10 = buf[p + 7] == '0';
                int status = digit(p + 9) * 100 + digit(p + 10) * 10 + digit(p + 11);
                long contentLength = -1;
                boolean chunked = false;
                boolean close = http10;
                p = indexOfCrlf(p, headEnd) + 2;
                while (p < headEnd - 2) {
                    int eol = indexOfCrlf(p, headEnd);
                    int colon = p;
                    while (colon < eol && buf[colon] != ':') {
                        colon++;
                    }
                    if (colon == eol) {
                        throw new IOException("malformed header line");
                    }
                    int vs = colon + 1;
                    int ve = eol;
                    while (vs < ve && (buf[vs] == ' ' || buf[vs] == '\t')) {
                        vs++;
                    }
                    while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) {
                        ve--;
                    }
                    if (nameIs(p, colon, "content-length")) {
                        contentLength = parseLength(vs, ve);
                    } else if (nameIs(p, colon, "transfer-encoding")) {
                        chunked = containsIgnoreCase(vs, ve, "chunked");
                    } else if (nameIs(p, colon, "connection")) {
                        if (containsIgnoreCase(vs, ve, "close")) {
                            close = true;
                        } else if (containsIgnoreCase(vs, ve, "keep-alive")) {
                            close = false;
                        }
                    }
                    p = eol + 2;
                }
                pos = headEnd;
                if (status >= 100 && status < 200) {
                    continue; // interim response (100 Continue, 103 Early Hints): read the next head
                }
                bodyOff = 0;
                int n;
                if (status == 204 || status == 304) {
                    n = 0;
                } else if (chunked) {
                    n = readChunked();
                } else if (contentLength >= 0) {
                    n = consume(contentLength);
                } else {
                    n = readToEof();
                    close = true;
                }
                if (close) {
                    closeSocket();
                }
                this.status = status;
                return n;
            }
        }

        /** Buffers a complete header block starting at {@code pos}; returns the index after CRLFCRLF. */
        private int readHead(boolean firstOfResponse) throws IOException {
            while (true) {
                // Rescan from pos after every read: heads are small and usually arrive in one read.
                for (int i = pos + 3; i < lim; i++) {
                    if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                        return i + 1;
                    }
                }
                boolean empty = lim == pos;
                if (fill() < 0) {
                    if (empty && firstOfResponse) {
                        throw new ClosedBeforeResponse();
                    }
                    throw new EOFException("connection closed inside the response head");
                }
            }
        }

        /** Reads more bytes after {@code lim}, compacting or growing the buffer first if needed. */
        private int fill() throws IOException {
            if (lim == buf.length) {
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, lim - pos);
                    lim -= pos;
                    pos = 0;
                } else if (buf.length < MAX_HEAD) {
                    byte[] bigger = new byte[Math.min(MAX_HEAD, buf.length * 2)];
                    System.arraycopy(buf, 0, bigger, 0, lim);
                    buf = bigger;
                } else {
                    throw new IOException("response head larger than " + MAX_HEAD + " bytes");
                }
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n > 0) {
                lim += n;
            }
            return n;
        }

        /** Moves {@code length} body bytes into the body buffer (wrapping if the body is larger). */
        private int consume(long length) throws IOException {
            long remaining = length;
            while (remaining > 0) {
                if (bodyOff == body.length) {
                    bodyOff = 0;
                }
                int space = body.length - bodyOff;
                int buffered = lim - pos;
                int n;
                if (buffered > 0) {
                    n = (int) Math.min(Math.min(buffered, space), remaining);
                    System.arraycopy(buf, pos, body, bodyOff, n);
                    pos += n;
                } else {
                    n = in.read(body, bodyOff, (int) Math.min(space, remaining));
                    if (n < 0) {
                        throw new EOFException("connection closed inside the body");
                    }
                }
                bodyOff += n;
                remaining -= n;
            }
            return (int) Math.min(length, Integer.MAX_VALUE);
        }

        private int readChunked() throws IOException {
            long total = 0;
            while (true) {
                int eol = readLine();
                long size = 0;
                int i = pos;
                for (; i < eol; i++) {
                    int d = Character.digit(buf[i], 16);
                    if (d < 0) {
                        break; // chunk extension or whitespace
                    }
                    size = size * 16 + d;
                    if (size > Integer.MAX_VALUE) {
                        throw new IOException("chunk too large");
                    }
                }
                if (i == pos) {
                    throw new IOException("malformed chunk size");
                }
                pos = eol + 2;
                if (size == 0) {
                    // Trailer section ends with an empty line.
                    while (true) {
                        int end = readLine();
                        boolean emptyLine = end == pos;
                        pos = end + 2;
                        if (emptyLine) {
                            return (int) Math.min(total, Integer.MAX_VALUE);
                        }
                    }
                }
                consume(size);
                total += size;
                int end = readLine();
                if (end != pos) {
                    throw new IOException("missing CRLF after chunk");
                }
                pos = end + 2;
            }
        }

        /** Ensures a CRLF-terminated line is buffered at {@code pos}; returns the index of its CR. */
        private int readLine() throws IOException {
            while (true) {
                for (int i = pos + 1; i < lim; i++) {
                    if (buf[i] == '\n' && buf[i - 1] == '\r') {
                        return i - 1;
                    }
                }
                if (fill() < 0) {
                    throw new EOFException("connection closed inside a chunked body");
                }
            }
        }

        private int readToEof() throws IOException {
            long total = 0;
            while (true) {
                if (lim == pos) {
                    pos = 0;
                    lim = 0;
                    if (fill() < 0) {
                        return (int) Math.min(total, Integer.MAX_VALUE);
                    }
                }
                int n = lim - pos;
                consume(n);
                total += n;
            }
        }

        private boolean startsWith(int p, String s) {
            for (int i = 0; i < s.length(); i++) {
                if (buf[p + i] != s.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private int digit(int p) throws IOException {
            int d = buf[p] - '0';
            if (d < 0 || d > 9) {
                throw new IOException("malformed status code");
            }
            return d;
        }

        private int indexOfCrlf(int from, int to) throws IOException {
            for (int i = from; i + 1 < to; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    return i;
                }
            }
            throw new IOException("missing CRLF");
        }

        private boolean nameIs(int from, int to, String lowerName) {
            if (to - from != lowerName.length()) {
                return false;
            }
            for (int i = 0; i < lowerName.length(); i++) {
                if ((buf[from + i] | 0x20) != lowerName.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private boolean containsIgnoreCase(int from, int to, String lowerWord) {
            int n = lowerWord.length();
            outer:
            for (int i = from; i + n <= to; i++) {
                for (int j = 0; j < n; j++) {
                    if ((buf[i + j] | 0x20) != lowerWord.charAt(j)) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        private long parseLength(int from, int to) throws IOException {
            if (from == to) {
                throw new IOException("empty Content-Length");
            }
            long v = 0;
            for (int i = from; i < to; i++) {
                int d = buf[i] - '0';
                if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) {
                    throw new IOException("bad Content-Length");
                }
                v = v * 10 + d;
            }
            return v;
        }

        private void closeSocket() {
            Socket s = socket;
            socket = null;
            in = null;
            out = null;
            pos = 0;
            lim = 0;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        @Override
        public void close() {
            closeSocket();
        }
    }
}
