package io.locusttelemetry.protocol.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * One connection of a {@link ZmtpRouter}, on the router's thread only. Input is parsed as it
 * arrives, whatever the split of the bytes: the greeting, the peer's READY (its socket type and
 * identity), then frames. Nothing is held for an idle peer but this object; a frame's body grows
 * with the bytes that came, so a peer that announces a large frame and sends nothing costs
 * nothing. Output that the socket does not take at once waits here, up to the router's limit.
 */
final class ZmtpPeer {
    /** Socket types that may talk to a ROUTER. */
    private static final Set<String> COMPATIBLE = Set.of("DEALER", "REQ", "ROUTER");
    /** Longest command we read (a READY holds a socket type and an identity of at most 255 bytes). */
    private static final int MAX_COMMAND_BYTES = 4096;
    private static final int FIRST_BODY_CHUNK = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private enum Stage { GREETING, HANDSHAKE, OPEN }

    final SocketChannel channel;
    final SelectionKey key;
    final long acceptedNanos;
    private final ZmtpRouter router;
    private final int maxFrameBytes;

    private Stage stage = Stage.GREETING;
    private final byte[] greeting = new byte[Zmtp.GREETING_BYTES];
    private int greetingRead;
    private boolean signed;

    private final byte[] header = new byte[9];
    private int headerRead;
    private int flags;
    /** Bytes of the frame's body, -1 while its header is incomplete. */
    private long size = -1;
    private byte[] body;
    private long bodyRead;
    /** Frames of the current message so far (0 between messages). */
    private int parts;
    /** The first frame of the current message: the one Locust's messages have. */
    private byte[] firstPart;

    private byte[] identity;
    /** Left to the router's owner: what it keeps per peer (the identity as it shows it). */
    Object attachment;

    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private boolean closed;

    ZmtpPeer(ZmtpRouter router, SocketChannel channel, SelectionKey key, int maxFrameBytes, long now) {
        this.router = router;
        this.channel = channel;
        this.key = key;
        this.maxFrameBytes = maxFrameBytes;
        this.acceptedNanos = now;
    }

    /** The identity the peer gave in its READY (or the router made up), null before the handshake ends. */
    byte[] identity() {
        return identity;
    }

    boolean isOpen() {
        return stage == Stage.OPEN && !closed;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Takes bytes the peer sent and hands each complete message to the router.
     *
     * @throws IOException when the peer broke the protocol (the router closes the connection)
     */
    void consume(ByteBuffer in) throws IOException {
        while (in.hasRemaining() && !closed) {
            switch (stage) {
                case GREETING -> readGreeting(in);
                case HANDSHAKE, OPEN -> readFrame(in);
            }
        }
    }

    private void readGreeting(ByteBuffer in) throws IOException {
        int n = Math.min(in.remaining(), Zmtp.GREETING_BYTES - greetingRead);
        in.get(greeting, greetingRead, n);
        greetingRead += n;
        if (!signed && greetingRead >= Zmtp.SIGNATURE_BYTES) {
            // a ZMTP 1.0 or 2.0 peer shows itself in its signature: no need to wait for more
            if ((greeting[0] & 0xFF) != 0xFF || (greeting[9] & 1) == 0) {
                throw new IOException("not a ZMTP 3 peer");
            }
            signed = true;
            router.signed(this);
        }
        if (greetingRead == Zmtp.GREETING_BYTES) {
            String problem = Zmtp.greetingProblem(greeting);
            if (problem != null) {
                throw new IOException(problem);
            }
            stage = Stage.HANDSHAKE;
        }
    }

    private void readFrame(ByteBuffer in) throws IOException {
        if (size < 0 && !readHeader(in)) {
            return;
        }
        if (body == null && !skipping() && (in.hasRemaining() || size == 0)) {
            // the whole body is here: one array of the right size, no growing
            if (in.remaining() >= size) {
                body = new byte[(int) size];
                in.get(body);
                bodyRead = size;
            } else {
                body = new byte[(int) Math.min(size, Math.max(FIRST_BODY_CHUNK, in.remaining()))];
            }
        }
        if (bodyRead < size) {
            int n = (int) Math.min(in.remaining(), size - bodyRead);
            if (n == 0) {
                return;
            }
            if (skipping()) {
                in.position(in.position() + n);
            } else {
                if (bodyRead + n > body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(size, Math.max(body.length * 2L, bodyRead + n)));
                }
                in.get(body, (int) bodyRead, n);
            }
            bodyRead += n;
        }
        if (bodyRead == size) {
            frameDone();
        }
    }

    /** True once the header is complete (size and flags set); false when more bytes are needed. */
    private boolean readHeader(ByteBuffer in) throws IOException {
        if (headerRead == 0) {
            header[headerRead++] = in.get();
            if ((header[0] & 0xF8) != 0) {
                throw new IOException("frame flags 0x" + Integer.toHexString(header[0] & 0xFF) + " have reserved bits set");
            }
        }
        int need = (header[0] & Zmtp.FLAG_LONG) != 0 ? 9 : 2;
        int n = Math.min(in.remaining(), need - headerRead);
        in.get(header, headerRead, n);
        headerRead += n;
        if (headerRead < need) {
            return false;
        }
        flags = header[0];
        long s = need == 9 ? ByteBuffer.wrap(header, 1, 8).getLong() : header[1] & 0xFF;
        boolean command = (flags & Zmtp.FLAG_COMMAND) != 0;
        long limit = command ? MAX_COMMAND_BYTES : maxFrameBytes;
        if (s < 0 || s > limit) {
            throw new IOException((command ? "command" : "frame") + " of " + Long.toUnsignedString(s)
                    + " bytes, over the limit of " + limit);
        }
        if (command && (flags & Zmtp.FLAG_MORE) != 0) {
            throw new IOException("a command with the MORE flag");
        }
        if (!command && stage != Stage.OPEN) {
            throw new IOException("a message before the handshake ended");
        }
        size = s;
        headerRead = 0;
        body = null;
        bodyRead = 0;
        return true;
    }

    /** Parts after the first of a message are not kept: Locust's messages have one. */
    private boolean skipping() {
        return (flags & Zmtp.FLAG_COMMAND) == 0 && parts > 0;
    }

    private void frameDone() throws IOException {
        byte[] b = body == null ? EMPTY : body.length == size ? body : Arrays.copyOf(body, (int) size);
        boolean more = (flags & Zmtp.FLAG_MORE) != 0;
        boolean command = (flags & Zmtp.FLAG_COMMAND) != 0;
        size = -1;
        body = null;
        bodyRead = 0;
        if (command) {
            command(b);
            return;
        }
        if (parts++ == 0) {
            firstPart = b;
        }
        if (!more) {
            byte[] first = firstPart;
            int n = parts;
            firstPart = null;
            parts = 0;
            router.received(this, first, n);
        }
    }

    private void command(byte[] b) throws IOException {
        String name = Zmtp.commandName(b);
        if (name == null) {
            throw new IOException("malformed command");
        }
        if (stage == Stage.HANDSHAKE) {
            if (!name.equals("READY")) {
                throw new IOException("expected READY, got " + printable(name));
            }
            handshake(b);
            return;
        }
        switch (name) {
            case "PING" -> pong(b);
            case "ERROR" -> throw new IOException("the peer sent ERROR");
            case "READY" -> throw new IOException("a second READY");
            default -> {
                // SUBSCRIBE, CANCEL, PONG and commands of later versions mean nothing to a ROUTER
            }
        }
    }

    private void handshake(byte[] ready) throws IOException {
        byte[] type;
        byte[] id;
        try {
            type = Zmtp.property(ready, "Socket-Type");
            id = Zmtp.property(ready, "Identity");
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        String socketType = type == null ? null : new String(type, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        if (socketType == null || !COMPATIBLE.contains(socketType)) {
            router.sendError(this, "Invalid socket type");
            throw new IOException("socket type " + (socketType == null ? "missing" : printable(socketType))
                    + " cannot talk to a ROUTER");
        }
        if (id != null && id.length > Zmtp.MAX_IDENTITY_BYTES) {
            throw new IOException("identity of " + id.length + " bytes");
        }
        identity = id == null || id.length == 0 ? null : id;
        stage = Stage.OPEN;
        router.opened(this);
    }

    /** The identity the router gives a peer that brought none. */
    void identity(byte[] id) {
        identity = id;
    }

    private void pong(byte[] ping) {
        write(Zmtp.frame(Zmtp.FLAG_COMMAND, Zmtp.pong(ping)));
    }

    /** Queues {@code buffer} after what waits, writing what the socket takes now; false when closed. */
    boolean write(ByteBuffer buffer) {
        if (closed) {
            return false;
        }
        if (pending.isEmpty()) {
            try {
                channel.write(buffer);
            } catch (IOException e) {
                router.close(this, e);
                return false;
            }
            if (!buffer.hasRemaining()) {
                return true;
            }
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
        pending.add(buffer);
        return true;
    }

    /** Buffers waiting for the socket. */
    int pendingBuffers() {
        return pending.size();
    }

    /** Writes what waits as far as the socket takes it (the key was writable). */
    void flushPending() {
        try {
            ByteBuffer b;
            while ((b = pending.peek()) != null) {
                channel.write(b);
                if (b.hasRemaining()) {
                    return;
                }
                pending.poll();
            }
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        } catch (IOException e) {
            router.close(this, e);
        }
    }

    void markClosed() {
        closed = true;
        pending.clear();
        firstPart = null;
        body = null;
    }

    /** A peer's text for a log line: quoted and escaped, cut at 40 characters. */
    private static String printable(String s) {
        return PythonRepr.ofString(s.length() > 40 ? s.substring(0, 40) + "..." : s);
    }
}
