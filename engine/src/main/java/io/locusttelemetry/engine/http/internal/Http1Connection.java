package io.locusttelemetry.engine.http.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One HTTP/1.1 connection owned by one user: a blocking socket (cheap on a virtual thread), TLS
 * over it for https ({@link TlsChannel}), a read buffer and a write buffer that are reused for
 * every request. Never shared between threads.
 * The buffers exist only while the socket is open, so a user whose connection is closed (by
 * the server, or by {@code Connection: close}) holds no buffer while it waits.
 */
final class Http1Connection implements AutoCloseable {
    private static final int READ_BUFFER = 8 * 1024;
    /** The most a body read asks of the socket at once, so that memory grows only with what arrived. */
    private static final int READ_STEP = 64 * 1024;

    private final String host;
    private final int port;
    private final boolean tls;
    private Socket socket;
    private TlsChannel tlsChannel;
    private InputStream in;
    private OutputStream out;

    private byte[] buf;
    private int pos;
    private int limit;
    private int requestsServed;

    /** Bytes of the request being written. */
    final ByteSink head = new ByteSink(1024, true);

    Http1Connection(String host, int port, boolean tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    boolean matches(String host, int port, boolean tls) {
        return this.port == port && this.tls == tls && this.host.equals(host);
    }

    boolean isOpen() {
        return in != null && !socket.isClosed();
    }

    /** Whether a request was already answered on this socket (a failure may be a stale keep-alive). */
    boolean isReused() {
        return requestsServed > 0;
    }

    /** The TCP socket (under TLS, the one TLS runs on), or null while closed. */
    Socket socket() {
        return socket;
    }

    /**
     * Connects, and for https shakes hands.
     *
     * @param deadline the total timeout of the request, to be told the socket before it connects, or null
     */
    void open(int connectTimeoutMillis, int readTimeoutMillis, boolean verifyTls,
              RequestDeadline deadline, long token) throws IOException {
        close();
        Socket s = new Socket();
        socket = s;
        try {
            if (deadline != null && !deadline.watch(s, token)) {
                throw new SocketTimeoutException("total timeout reached before connecting");
            }
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            if (tls) {
                // each read of the handshake waits at most the connect timeout: a stalled server fails the request
                s.setSoTimeout(connectTimeoutMillis);
                tlsChannel = Tls.open(verifyTls, host, port, s.getInputStream(), s.getOutputStream(), connectTimeoutMillis);
                s.setSoTimeout(readTimeoutMillis);
                in = tlsChannel.input();
                out = tlsChannel.output();
            } else {
                s.setSoTimeout(readTimeoutMillis);
                in = s.getInputStream();
                out = s.getOutputStream();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        if (buf == null) {
            buf = new byte[READ_BUFFER];
        }
        pos = 0;
        limit = 0;
        requestsServed = 0;
    }

    void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Sends the head buffer followed by {@code body}. */
    void send(byte[] body, int bodyLength) throws IOException {
        if (body != null && bodyLength > 0 && head.length() + bodyLength <= 8192) {
            head.write(body, 0, bodyLength);
            out.write(head.array(), 0, head.length());
        } else {
            out.write(head.array(), 0, head.length());
            if (body != null && bodyLength > 0) {
                out.write(body, 0, bodyLength);
            }
        }
        out.flush();
    }

    void served() {
        requestsServed++;
    }

    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    /** True when at least one byte of a response has arrived (false on a clean EOF). */
    boolean awaitResponse() throws IOException {
        return fill();
    }

    /**
     * Reads one line ending in LF into {@code line}, without the LF and a CR before it. Returns
     * false on EOF (what arrived of the line is then in {@code line}).
     *
     * @throws ProtocolException when the line is longer than {@code maxLength}
     */
    boolean readLine(ByteSink line, int maxLength) throws IOException {
        line.reset();
        while (true) {
            if (!fill()) {
                return false;
            }
            int start = pos;
            int end = limit;
            while (pos < end) {
                if (buf[pos++] == '\n') {
                    int n = pos - 1 - start;
                    if (line.length() + n > maxLength + 1) {
                        throw tooLong(maxLength);
                    }
                    line.write(buf, start, n);
                    int len = line.length();
                    if (len > 0 && line.array()[len - 1] == '\r') {
                        line.truncate(len - 1);
                    } else if (len > maxLength) {
                        throw tooLong(maxLength);
                    }
                    return true;
                }
            }
            if (line.length() + (end - start) > maxLength + 1) {
                throw tooLong(maxLength);
            }
            line.write(buf, start, end - start);
        }
    }

    private static ProtocolException tooLong(int maxLength) {
        return new ProtocolException("response line longer than " + Sizes.describe(maxLength));
    }

    /** Reads exactly {@code n} bytes into {@code dst} at {@code offset}. */
    void readFully(byte[] dst, int offset, int n) throws IOException {
        while (n > 0) {
            if (pos == limit && n >= buf.length) {
                // a large body goes straight into its array, not through the buffer
                int got = in.read(dst, offset, n);
                if (got <= 0) {
                    throw closedInBody();
                }
                offset += got;
                n -= got;
                continue;
            }
            if (!fill()) {
                throw closedInBody();
            }
            int chunk = Math.min(n, limit - pos);
            System.arraycopy(buf, pos, dst, offset, chunk);
            pos += chunk;
            offset += chunk;
            n -= chunk;
        }
    }

    /** Appends exactly {@code n} bytes to {@code dst}, growing it only by what has arrived. */
    void readInto(ByteSink dst, long n) throws IOException {
        while (n > 0) {
            int step = (int) Math.min(n, READ_STEP);
            if (pos < limit) {
                int chunk = Math.min(step, limit - pos);
                dst.write(buf, pos, chunk);
                pos += chunk;
                n -= chunk;
                continue;
            }
            int at = dst.extend(step);
            int got = step < buf.length ? -1 : in.read(dst.array(), at, step);
            if (got < 0) {
                dst.truncate(at);
                if (step >= buf.length || !fill()) {
                    throw closedInBody();
                }
                continue;
            }
            dst.truncate(at + got);
            n -= got;
        }
    }

    /** Appends what arrives next, at most {@code max} bytes, to {@code dst}; returns how many, or -1 at EOF. */
    int readSome(ByteSink dst, int max) throws IOException {
        if (!fill()) {
            return -1;
        }
        int chunk = Math.min(max, limit - pos);
        dst.write(buf, pos, chunk);
        pos += chunk;
        return chunk;
    }

    private static EOFException closedInBody() {
        return new EOFException("connection closed before the response body ended");
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            socket = null;
        }
        if (tlsChannel != null) {
            tlsChannel.release();
            tlsChannel = null;
        }
        // the streams hold the socket's implementation (descriptor, locks, cleaner): drop them too
        in = null;
        out = null;
        buf = null;
        pos = 0;
        limit = 0;
        head.release();
    }
}
