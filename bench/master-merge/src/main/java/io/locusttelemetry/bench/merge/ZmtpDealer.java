package io.locusttelemetry.bench.merge;

import io.locusttelemetry.protocol.internal.Zmtp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One ZeroMQ DEALER connection spoken directly over a non-blocking socket channel: ZMTP 3.0 with
 * the NULL mechanism (the wire format from the master's own {@link Zmtp}), a {@code READY} carrying {@code Socket-Type: DEALER} and the worker's
 * {@code Identity}, then single-part messages each way (a ROUTER strips its routing frame, so a
 * master's {@code [identity, body]} arrives as {@code [body]}).
 *
 * <p>Thousands of simulated workers live on one thread and one selector this way, one file
 * descriptor each: a JeroMQ socket costs a mailbox (a pipe and a selector) besides its
 * connection, and JeroMQ's generic poll rebuilds its selector on every call, which one thread
 * cannot afford for thousands of sockets (nor the open-file limit of 20,000 on these machines).
 */
final class ZmtpDealer {
    private static final int GREETING = Zmtp.GREETING_BYTES;
    private static final int FLAG_MORE = Zmtp.FLAG_MORE;
    private static final int FLAG_LONG = Zmtp.FLAG_LONG;
    private static final int FLAG_COMMAND = Zmtp.FLAG_COMMAND;

    private final SocketChannel channel;
    private final SelectionKey key;
    private final byte[] identity;
    private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private ByteBuffer out = ByteBuffer.allocate(16 * 1024);
    /** Messages queued before the handshake finished. */
    private final List<byte[]> early = new ArrayList<>();
    private boolean greeted;
    private boolean ready;
    private boolean closed;
    private Exception failure;

    private ZmtpDealer(SocketChannel channel, SelectionKey key, byte[] identity) {
        this.channel = channel;
        this.key = key;
        this.identity = identity;
        out.flip();
    }

    /** Starts connecting; {@code attachment} comes back from the selector's keys. */
    static ZmtpDealer connect(Selector selector, InetSocketAddress address, String identity, Object attachment) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        boolean connected = ch.connect(address);
        SelectionKey key = ch.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, attachment);
        ZmtpDealer d = new ZmtpDealer(ch, key, identity.getBytes(StandardCharsets.UTF_8));
        if (connected) {
            d.connected();
        }
        return d;
    }

    boolean isReady() {
        return ready;
    }

    boolean isClosed() {
        return closed;
    }

    /** Why the connection closed, when it failed rather than the peer closing it (null otherwise). */
    Exception failure() {
        return failure;
    }

    /** Queues one single-part message; sent once the handshake is done. False when the connection is closed. */
    boolean send(byte[] body) {
        if (closed) {
            return false;
        }
        if (!ready) {
            early.add(body);
            return true;
        }
        enqueueFrame(0, body);
        flush();
        return !closed;
    }

    /**
     * Handles the key's readiness: finishes connecting, writes what is queued, reads what arrived.
     * Returns the message bodies received (empty for none); closes the connection on any error.
     */
    List<byte[]> ready(SelectionKey k) {
        List<byte[]> received = List.of();
        try {
            if (k.isConnectable() && channel.finishConnect()) {
                connected();
            }
            if (k.isValid() && k.isWritable()) {
                flush();
            }
            if (k.isValid() && k.isReadable()) {
                received = read();
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
            close();
        }
        return received;
    }

    void close() {
        closed = true;
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket that failed
        }
    }

    private void connected() {
        byte[] greeting = Zmtp.greeting();
        append(greeting, 0, greeting.length);
        key.interestOps(SelectionKey.OP_READ);
        flush();
    }

    private List<byte[]> read() throws IOException {
        List<byte[]> messages = null;
        while (true) {
            if (!in.hasRemaining()) {
                in = grow(in, in.capacity() * 2);
            }
            int n = channel.read(in);
            if (n < 0) {
                failure = new IOException("closed by the peer");
                close();
                break;
            }
            if (n == 0) {
                break;
            }
            in.flip();
            messages = parse(messages);
            in.compact();
        }
        return messages == null ? List.of() : messages;
    }

    /** Takes the greeting and the complete frames out of {@code in} (flipped). */
    private List<byte[]> parse(List<byte[]> messages) throws IOException {
        if (!greeted) {
            if (in.remaining() < GREETING) {
                return messages;
            }
            byte[] greeting = new byte[GREETING];
            in.get(greeting);
            String problem = Zmtp.greetingProblem(greeting);
            if (problem != null) {
                throw new IOException(problem);
            }
            greeted = true;
            sendReady();
        }
        while (in.remaining() >= 2) {
            int start = in.position();
            int flags = in.get(start) & 0xFF;
            long size;
            int header;
            if ((flags & FLAG_LONG) != 0) {
                if (in.remaining() < 9) {
                    break;
                }
                size = in.getLong(start + 1);
                header = 9;
            } else {
                size = in.get(start + 1) & 0xFF;
                header = 2;
            }
            if (size < 0 || size > 64L * 1024 * 1024) {
                throw new IOException("frame of " + size + " bytes");
            }
            if (in.remaining() < header + size) {
                break; // read() grows the buffer when a frame does not fit
            }
            byte[] body = new byte[(int) size];
            in.position(start + header);
            in.get(body);
            if ((flags & FLAG_COMMAND) != 0) {
                if (!ready && Zmtp.isReady(body)) {
                    ready = true;
                    for (byte[] m : early) {
                        enqueueFrame(0, m);
                    }
                    early.clear();
                    flush();
                }
                continue; // other commands (none without ZMTP heartbeats) are ignored
            }
            if ((flags & FLAG_MORE) != 0) {
                continue; // Locust's messages are single frames; a multi-part message keeps its last part
            }
            if (messages == null) {
                messages = new ArrayList<>();
            }
            messages.add(body);
        }
        return messages;
    }

    private void sendReady() {
        enqueueFrame(FLAG_COMMAND, Zmtp.ready("DEALER", identity));
        flush();
    }

    private void enqueueFrame(int flags, byte[] body) {
        ByteBuffer header = ByteBuffer.allocate(Zmtp.headerBytes(body.length));
        Zmtp.putHeader(header, flags, body.length);
        append(header.array(), 0, header.position());
        append(body, 0, body.length);
    }

    private void append(byte[] bytes, int offset, int length) {
        out.compact();
        if (out.remaining() < length) {
            out = grow(out, Math.max(out.capacity() * 2, out.position() + length + 1024));
        }
        out.put(bytes, offset, length);
        out.flip();
    }

    /** Writes what the socket takes; waits for writability when it takes less than all. */
    private void flush() {
        if (closed) {
            return;
        }
        try {
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    break;
                }
            }
            int ops = out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (key.isValid() && key.interestOps() != ops && channel.isConnected()) {
                key.interestOps(ops);
            }
        } catch (IOException e) {
            close();
        }
    }

    /** A bigger buffer with {@code b}'s content, both in write mode (position = bytes held). */
    private static ByteBuffer grow(ByteBuffer b, int capacity) {
        ByteBuffer n = ByteBuffer.allocate(capacity);
        b.flip();
        n.put(b);
        return n;
    }
}
