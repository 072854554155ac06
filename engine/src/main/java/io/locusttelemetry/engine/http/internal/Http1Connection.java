package io.locusttelemetry.engine.http.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 connection owned by one user: a blocking socket (cheap on a virtual thread), a
 * read buffer and a write buffer that are reused for every request. Never shared between threads.
 * The buffers exist only while the socket is open, so a user whose connection is closed (by
 * the server, or by {@code Connection: close}) holds no buffer while it waits.
 */
public final class Http1Connection implements AutoCloseable {
    private final String host;
    private final int port;
    private final boolean tls;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private static final int READ_BUFFER = 8 * 1024;

    private byte[] buf;
    private int pos;
    private int limit;
    private int requestsServed;

    /** Bytes of the request being written. */
    public final ByteSink head = new ByteSink(1024, true);

    public Http1Connection(String host, int port, boolean tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    public boolean matches(String host, int port, boolean tls) {
        return this.port == port && this.tls == tls && this.host.equals(host);
    }

    public boolean isOpen() {
        return socket != null && !socket.isClosed();
    }

    /** Whether a request was already answered on this socket (a failure may be a stale keep-alive). */
    public boolean isReused() {
        return requestsServed > 0;
    }

    public void open(int connectTimeoutMillis, int readTimeoutMillis, SSLSocketFactory tlsFactory) throws IOException {
        close();
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            s.setSoTimeout(readTimeoutMillis);
            if (tls) {
                SSLSocket ssl = (SSLSocket) tlsFactory.createSocket(s, host, port, true);
                ssl.startHandshake();
                s = ssl;
            }
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw e;
        }
        socket = s;
        if (buf == null) {
            buf = new byte[READ_BUFFER];
        }
        in = s.getInputStream();
        out = s.getOutputStream();
        pos = 0;
        limit = 0;
        requestsServed = 0;
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Sends the head buffer followed by {@code body}. */
    public void send(byte[] body, int bodyLength) throws IOException {
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

    public void served() {
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
    public boolean awaitResponse() throws IOException {
        return fill();
    }

    /**
     * Reads one CRLF-terminated line into {@code line} (without the CRLF). Returns false on EOF.
     */
    public boolean readLine(ByteSink line) throws IOException {
        line.reset();
        while (true) {
            if (!fill()) {
                return false;
            }
            int start = pos;
            while (pos < limit) {
                byte b = buf[pos++];
                if (b == '\n') {
                    int end = pos - 1;
                    line.write(buf, start, end - start);
                    int len = line.length();
                    if (len > 0 && line.array()[len - 1] == '\r') {
                        line.truncate(len - 1);
                    }
                    return true;
                }
            }
            line.write(buf, start, pos - start);
            if (line.length() > 64 * 1024) {
                throw new IOException("response line longer than 64 KiB");
            }
        }
    }

    /** Reads exactly {@code n} bytes into {@code dst} at {@code offset}. */
    public void readFully(byte[] dst, int offset, int n) throws IOException {
        while (n > 0) {
            if (pos == limit && n >= buf.length) {
                // a large body goes straight into its array, not through the buffer
                int got = in.read(dst, offset, n);
                if (got <= 0) {
                    throw new EOFException("connection closed before the response body ended");
                }
                offset += got;
                n -= got;
                continue;
            }
            if (!fill()) {
                throw new EOFException("connection closed before the response body ended");
            }
            int chunk = Math.min(n, limit - pos);
            System.arraycopy(buf, pos, dst, offset, chunk);
            pos += chunk;
            offset += chunk;
            n -= chunk;
        }
    }

    /** Reads until the server closes the connection. */
    public void readToEnd(ByteSink dst) throws IOException {
        while (fill()) {
            dst.write(buf, pos, limit - pos);
            pos = limit;
        }
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
        // the streams hold the socket's implementation (descriptor, locks, cleaner): drop them too
        in = null;
        out = null;
        buf = null;
        pos = 0;
        limit = 0;
        head.release();
    }
}
