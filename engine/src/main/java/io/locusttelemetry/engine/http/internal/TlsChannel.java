package io.locusttelemetry.engine.http.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS over one user's blocking socket, driven through an {@link SSLEngine} (BoringSSL's or the
 * JDK's, see {@link Tls}): the user's thread shakes hands, encrypts and decrypts; nothing runs
 * elsewhere. Reading asks the socket for as much as has arrived at once (the JDK's
 * {@code SSLSocket} reads a record's 5-byte header and its body apart, two system calls a record).
 *
 * <p>The buffers start small and grow to a full record only when one arrives, so that 100,000
 * users on small responses do not each hold 50 KiB; they are dropped with the connection.
 */
final class TlsChannel {
    private static final int START = 4 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    /** Bytes from the socket not yet decrypted, between position 0 and limit (read mode). */
    private ByteBuffer netIn = ByteBuffer.allocate(START);
    private ByteBuffer netOut = ByteBuffer.allocate(START);
    /** Decrypted bytes not yet read, from position to limit (read mode). */
    private ByteBuffer appIn = ByteBuffer.allocate(START);
    private ByteBuffer lastWritten;
    private boolean closed;
    private boolean released;

    private final InputStream input = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return TlsChannel.this.read(b, off, len);
        }

        @Override
        public int available() {
            return appIn.remaining();
        }
    };

    private final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            TlsChannel.this.write(b, off, len);
        }
    };

    private TlsChannel(SSLEngine engine, InputStream rawIn, OutputStream rawOut) {
        this.engine = engine;
        this.rawIn = rawIn;
        this.rawOut = rawOut;
        netIn.limit(0);
        appIn.limit(0);
    }

    /** Shakes hands with the server over the socket's streams; the engine is released if that fails. */
    static TlsChannel open(SSLEngine engine, InputStream rawIn, OutputStream rawOut) throws IOException {
        TlsChannel c = new TlsChannel(engine, rawIn, rawOut);
        try {
            engine.beginHandshake();
            c.handshake();
        } catch (SSLHandshakeException e) {
            c.release();
            throw telling(e);
        } catch (IOException | RuntimeException | Error e) {
            c.release();
            throw e;
        }
        return c;
    }

    /**
     * The handshake's failure with the reason in its message: BoringSSL's engine says "General
     * OpenSslEngine problem" and keeps the certificate check's reason in a cause.
     */
    private static SSLHandshakeException telling(SSLHandshakeException e) {
        Throwable reason = e.getCause();
        while (reason != null && !(reason instanceof CertificateException) && reason.getCause() != null) {
            reason = reason.getCause();
        }
        if (reason == null || reason.getMessage() == null || reason.getMessage().equals(e.getMessage())) {
            return e;
        }
        SSLHandshakeException told = new SSLHandshakeException(reason.getMessage());
        told.initCause(e);
        return told;
    }

    /** The decrypted stream: a read returns what one or more records held, -1 once the server closed. */
    InputStream input() {
        return input;
    }

    /** Each write goes out at once, as one or more records (the caller writes whole messages). */
    OutputStream output() {
        return output;
    }

    /** The protocol agreed on, e.g. {@code TLSv1.3}. */
    String protocol() {
        return engine.getSession().getProtocol();
    }

    private void handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        throw new EOFException("connection closed during the TLS handshake");
                    }
                }
                case NEED_TASK -> runTasks();
                default -> {
                    return;
                }
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!appIn.hasRemaining()) {
            if (closed || !unwrap()) {
                return -1;
            }
            SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && hs != SSLEngineResult.HandshakeStatus.FINISHED) {
                // a key update, a TLS 1.2 renegotiation: answer it before reading on
                handshake();
            }
        }
        int n = Math.min(len, appIn.remaining());
        appIn.get(b, off, n);
        return n;
    }

    /**
     * Decrypts at least one record, reading from the socket as needed. Returns false at the end of
     * the stream (the server's close_notify, or the socket closed between records).
     */
    private boolean unwrap() throws IOException {
        while (true) {
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            switch (r.getStatus()) {
                case OK -> {
                    SSLEngineResult.HandshakeStatus hs = r.getHandshakeStatus();
                    if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    if (r.bytesConsumed() > 0 || r.bytesProduced() > 0 || hs != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                            && hs != SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                        return true;
                    }
                    // nothing done and nothing else wanted: the record is not all here yet
                    if (!fill()) {
                        return false;
                    }
                }
                case CLOSED -> {
                    closed = true;
                    return appIn.hasRemaining();
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    if (!fill()) {
                        if (netIn.hasRemaining()) {
                            throw new EOFException("connection closed in the middle of a TLS record");
                        }
                        return false;
                    }
                }
            }
        }
    }

    /** Reads what the socket has into {@link #netIn}, growing it to a full record when it is full. */
    private boolean fill() throws IOException {
        if (netIn.limit() == netIn.capacity()) {
            if (netIn.position() > 0) {
                netIn.compact().flip();
            } else {
                netIn = grow(netIn, engine.getSession().getPacketBufferSize());
            }
        }
        int at = netIn.limit();
        int n = rawIn.read(netIn.array(), at, netIn.capacity() - at);
        if (n < 0) {
            return false;
        }
        netIn.limit(at + n);
        return true;
    }

    /** A larger buffer holding {@code b}'s unread bytes (read mode); twice the size, at least {@code atLeast}. */
    private static ByteBuffer grow(ByteBuffer b, int atLeast) throws SSLException {
        int size = Math.max(b.capacity() * 2, atLeast);
        if (size > 1 << 20) {
            throw new SSLException("TLS record over 1 MiB");
        }
        ByteBuffer bigger = ByteBuffer.allocate(size);
        bigger.put(b);
        return bigger.flip();
    }

    void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer src = lastWritten;
        if (src == null || src.array() != b) {
            // the connection writes its one request-head array nearly every time: wrapped once
            src = ByteBuffer.wrap(b);
            lastWritten = src;
        }
        src.limit(off + len).position(off);
        while (src.hasRemaining()) {
            wrap(src);
        }
    }

    /** Encrypts from {@code src} (or a handshake message) and sends what that made. */
    private void wrap(ByteBuffer src) throws IOException {
        while (true) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case OK -> {
                    if (netOut.position() > 0) {
                        rawOut.write(netOut.array(), 0, netOut.position());
                    }
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    return;
                }
                case BUFFER_OVERFLOW -> netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2,
                        engine.getSession().getPacketBufferSize()));
                case CLOSED -> throw new SSLException("the TLS connection is closed");
                case BUFFER_UNDERFLOW -> throw new SSLException("unexpected buffer underflow while encrypting");
            }
        }
    }

    /** Frees the engine (BoringSSL's holds native memory); the socket is the caller's to close. */
    void release() {
        if (!released) {
            released = true;
            Tls.release(engine);
            netIn = EMPTY;
            netOut = EMPTY;
            appIn = EMPTY;
            lastWritten = null;
        }
    }
}
