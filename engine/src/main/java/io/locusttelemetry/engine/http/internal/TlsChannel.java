package io.locusttelemetry.engine.http.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS over one user's blocking socket, driven through an {@link SSLEngine} (BoringSSL's or the
 * JDK's, see {@link Tls}): the user's thread shakes hands, encrypts and decrypts; nothing runs
 * elsewhere. Reading asks the socket for as much as has arrived at once (the JDK's
 * {@code SSLSocket} reads a record's 5-byte header and its body apart, two system calls a record),
 * and the engine is asked to decrypt only once a whole record is in: a response costs one read
 * that finds nothing (and parks) and one that gets it, as over plain HTTP.
 *
 * <p>The buffers come from the engine's kind of memory ({@link TlsMemory}): for BoringSSL native
 * memory, which it reads and writes in place (given heap buffers, its engine copies each record
 * through native memory of its own, allocated and freed on every call). They start small and grow
 * to a full record only when one arrives, so that 100,000 users on small responses do not each
 * hold 50 KiB; they are freed with the connection. One thread uses a channel at a time.
 */
final class TlsChannel {
    private static final int START = 4 * 1024;
    private static final TlsMemory.Block NONE = TlsMemory.HEAP.allocate(0);
    private static final byte[] NO_BYTES = new byte[0];

    private final SSLEngine engine;
    private final TlsMemory memory;
    /** Whether the buffers are native memory: then bytes pass through {@link #wire} and {@link #appOut}. */
    private final boolean direct;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    /** Bytes from the socket not yet decrypted, between position 0 and limit (read mode). */
    private TlsMemory.Block netIn = NONE;
    private TlsMemory.Block netOut = NONE;
    /** Decrypted bytes not yet read, from position to limit (read mode). */
    private TlsMemory.Block appIn = NONE;
    /** Outside the heap: the bytes to encrypt, copied in from the caller's array. */
    private TlsMemory.Block appOut = NONE;
    /** Outside the heap: the socket's bytes on their way between it and the buffers. */
    private byte[] wire = NO_BYTES;
    private ByteBuffer lastWritten;
    /** The engine's handshake status after its last unwrap. */
    private SSLEngineResult.HandshakeStatus unwrapStatus = SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
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
            return appIn.bytes.remaining();
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

    private TlsChannel(SSLEngine engine, TlsMemory memory, InputStream rawIn, OutputStream rawOut) {
        this.engine = engine;
        this.memory = memory;
        this.rawIn = rawIn;
        this.rawOut = rawOut;
        try {
            netIn = memory.allocate(START);
            netOut = memory.allocate(START);
            appIn = memory.allocate(START);
        } catch (RuntimeException | Error e) {
            freeBuffers();
            throw e;
        }
        direct = netIn.bytes.isDirect();
        netIn.bytes.limit(0);
        appIn.bytes.limit(0);
    }

    /** Shakes hands with the server over the socket's streams, in the engine's kind of memory ({@link Tls#memory}). */
    static TlsChannel open(SSLEngine engine, InputStream rawIn, OutputStream rawOut) throws IOException {
        return open(engine, Tls.memory(engine), rawIn, rawOut);
    }

    /** Shakes hands with the server over the socket's streams; the engine is released if that fails. */
    static TlsChannel open(SSLEngine engine, TlsMemory memory, InputStream rawIn, OutputStream rawOut) throws IOException {
        TlsChannel c;
        try {
            c = new TlsChannel(engine, memory, rawIn, rawOut);
        } catch (RuntimeException | Error e) {
            Tls.release(engine);
            throw e;
        }
        try {
            engine.beginHandshake();
            c.handshake();
        } catch (SSLHandshakeException e) {
            c.release();
            throw Tls.withReason(e);
        } catch (IOException | RuntimeException | Error e) {
            c.release();
            throw e;
        }
        return c;
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
                case NEED_WRAP -> wrap(NONE.bytes);
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
        while (!appIn.bytes.hasRemaining()) {
            if (closed || !unwrap()) {
                return -1;
            }
            SSLEngineResult.HandshakeStatus hs = unwrapStatus;
            if (hs != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && hs != SSLEngineResult.HandshakeStatus.FINISHED) {
                // a key update, a TLS 1.2 renegotiation: answer it before reading on
                handshake();
            }
        }
        ByteBuffer in = appIn.bytes;
        int n = Math.min(len, in.remaining());
        in.get(b, off, n);
        return n;
    }

    /**
     * Decrypts at least one record, reading from the socket as needed. Returns false at the end of
     * the stream (the server's close_notify, or the socket closed between records).
     */
    private boolean unwrap() throws IOException {
        while (true) {
            if (!TlsRecords.complete(netIn.bytes)) {
                if (!fill()) {
                    if (netIn.bytes.hasRemaining()) {
                        throw new EOFException("connection closed in the middle of a TLS record");
                    }
                    return false;
                }
                continue;
            }
            ByteBuffer out = appIn.bytes;
            out.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn.bytes, out);
            } finally {
                out.flip();
            }
            SSLEngineResult.HandshakeStatus hs = r.getHandshakeStatus();
            unwrapStatus = hs;
            switch (r.getStatus()) {
                case OK -> {
                    if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runTasks();
                        unwrapStatus = engine.getHandshakeStatus();
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
                    return appIn.bytes.hasRemaining();
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    if (!fill()) {
                        if (netIn.bytes.hasRemaining()) {
                            throw new EOFException("connection closed in the middle of a TLS record");
                        }
                        return false;
                    }
                }
            }
        }
    }

    /**
     * Reads what the socket has into {@link #netIn} after the bytes it holds, moved to its start
     * first (so that each read may fill the whole buffer: one read gets a whole response's record),
     * growing it to a full record when it is full.
     */
    private boolean fill() throws IOException {
        ByteBuffer in = netIn.bytes;
        if (in.position() > 0) {
            in.compact().flip();
        }
        if (in.limit() == in.capacity()) {
            netIn = grow(netIn, engine.getSession().getPacketBufferSize());
            in = netIn.bytes;
        }
        int at = in.limit();
        int room = in.capacity() - at;
        int n;
        if (in.hasArray()) {
            n = rawIn.read(in.array(), in.arrayOffset() + at, room);
        } else {
            byte[] w = wire(room);
            n = rawIn.read(w, 0, room);
            if (n > 0) {
                in.limit(at + n).put(at, w, 0, n);
            }
        }
        if (n < 0) {
            return false;
        }
        in.limit(at + n);
        return true;
    }

    /** The staging array between the socket and native buffers, at least {@code size} bytes. */
    private byte[] wire(int size) {
        if (wire.length < size) {
            wire = new byte[Math.max(size, START)];
        }
        return wire;
    }

    /** A larger buffer holding {@code b}'s unread bytes (read mode); twice the size, at least {@code atLeast}. */
    private TlsMemory.Block grow(TlsMemory.Block b, int atLeast) throws SSLException {
        int size = Math.max(b.bytes.capacity() * 2, atLeast);
        if (size > 1 << 20) {
            throw new SSLException("TLS record over 1 MiB");
        }
        TlsMemory.Block bigger = memory.allocate(size);
        bigger.bytes.put(b.bytes).flip();
        b.free();
        return bigger;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (!direct) {
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
            return;
        }
        // native memory: the bytes are copied in a record's worth at a time, encrypted in place
        while (len > 0) {
            if (appOut.bytes.capacity() < Math.min(len, TlsRecords.MAX_PLAINTEXT)) {
                TlsMemory.Block old = appOut;
                appOut = NONE;
                old.free();
                appOut = memory.allocate(Math.max(START, Math.min(len, TlsRecords.MAX_PLAINTEXT)));
            }
            ByteBuffer src = appOut.bytes;
            src.clear();
            int n = Math.min(len, src.capacity());
            src.put(b, off, n).flip();
            while (src.hasRemaining()) {
                wrap(src);
            }
            off += n;
            len -= n;
        }
    }

    /** Encrypts from {@code src} (or a handshake message) and sends what that made. */
    private void wrap(ByteBuffer src) throws IOException {
        while (true) {
            ByteBuffer out = netOut.bytes;
            out.clear();
            SSLEngineResult r = engine.wrap(src, out);
            switch (r.getStatus()) {
                case OK -> {
                    send(out);
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    return;
                }
                case BUFFER_OVERFLOW -> {
                    TlsMemory.Block old = netOut;
                    netOut = NONE;
                    old.free();
                    netOut = memory.allocate(Math.max(old.bytes.capacity() * 2, engine.getSession().getPacketBufferSize()));
                }
                case CLOSED -> throw new SSLException("the TLS connection is closed");
                case BUFFER_UNDERFLOW -> throw new SSLException("unexpected buffer underflow while encrypting");
            }
        }
    }

    /** Writes what {@code out} holds from 0 to its position to the socket. */
    private void send(ByteBuffer out) throws IOException {
        int n = out.position();
        if (n == 0) {
            return;
        }
        if (out.hasArray()) {
            rawOut.write(out.array(), out.arrayOffset(), n);
        } else {
            byte[] w = wire(n);
            out.get(0, w, 0, n);
            rawOut.write(w, 0, n);
        }
    }

    /** Frees the engine (BoringSSL's holds native memory) and the buffers; the socket is the caller's to close. */
    void release() {
        if (!released) {
            released = true;
            Tls.release(engine);
            freeBuffers();
        }
    }

    private void freeBuffers() {
        TlsMemory.Block[] held = {netIn, netOut, appIn, appOut};
        netIn = NONE;
        netOut = NONE;
        appIn = NONE;
        appOut = NONE;
        wire = NO_BYTES;
        lastWritten = null;
        for (TlsMemory.Block b : held) {
            b.free();
        }
    }
}
