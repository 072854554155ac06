package io.locusttelemetry.protocol.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ZeroMQ ROUTER socket, bound and served on its owner's thread: ZMTP 3 over one selector, as
 * Locust's master socket needs it (the NULL mechanism, peers that name themselves, messages of one
 * frame). It replaces a general ZeroMQ library on the master, whose I/O thread, pipes and
 * mailboxes cost more than the messages themselves at thousands of workers: here a message costs
 * the read that brought it and the frame's parse, on the thread that handles it.
 *
 * <p>As ZeroMQ's ROUTER with {@code ROUTER_MANDATORY} off and {@code ROUTER_HANDOVER} on: a
 * message is routed by the identity its peer gave, a message for an identity that has no
 * connection is dropped, and a new connection with an identity in use takes the route over (the
 * old connection is closed). A peer that gives no identity gets a made-up one (a zero byte and
 * four random bytes, as ZeroMQ makes them).
 *
 * <p>Hostile peers cost their own connection only: a broken greeting, an unknown mechanism, a frame
 * or command over its limit, a message before the handshake, or a handshake not done within
 * its handshake timeout ({@link Zmq#MASTER_HANDSHAKE_TIMEOUT_NANOS} on the master) closes that connection. Each readable connection gets one read
 * a round, so a flood on one does not starve the others, and what one may make this socket hold
 * is a frame's worth of bytes it actually sent plus its share of the send limit.
 *
 * <p>Not thread-safe: everything but construction runs on the owner's thread.
 */
public final class ZmtpRouter implements Closeable {
    /** What the owner does with each message. */
    public interface Receiver {
        /**
         * A message from {@code peer}: its first frame and how many frames it had (Locust's have one).
         * The peer's {@link ZmtpRouter#identity} says who sent it.
         */
        void onMessage(Object peer, byte[] firstFrame, int frames);
    }

    private static final int READ_BUFFER_BYTES = 256 * 1024;
    /** How long accepting pauses when it fails (out of file descriptors): a failing accept would otherwise spin. */
    private static final long ACCEPT_PAUSE_NANOS = 100_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(ZmtpRouter.class);

    private final Selector selector;
    private final ServerSocketChannel server;
    private final SelectionKey serverKey;
    private final int maxFrameBytes;
    private final int sendLimitBuffers;
    private final long handshakeTimeoutNanos;
    private final byte[] hello;
    private final ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final Map<ByteBuffer, ZmtpPeer> routes = new HashMap<>();
    private final Set<ZmtpPeer> handshaking = new HashSet<>();
    private Runnable onWakeup = () -> { };
    private SelectionKey wakeupKey;
    private Receiver receiver;
    private boolean caughtUp = true;
    private long acceptPausedUntil;
    private long nextHandshakeCheck;
    /** Messages handed over so far. */
    private int messages;

    /**
     * Binds to {@code address}.
     *
     * @param maxFrameBytes    a frame over this closes its connection unread
     * @param sendLimit        messages queued for one peer beyond which more are dropped
     * @param backlog          connections the kernel queues before they are accepted
     * @param handshakeTimeoutNanos a connection that has not sent its greeting and READY by then is closed
     */
    public ZmtpRouter(InetSocketAddress address, int maxFrameBytes, int sendLimit, int backlog, long handshakeTimeoutNanos)
            throws IOException {
        this.maxFrameBytes = maxFrameBytes;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
        this.sendLimitBuffers = sendLimit;
        byte[] greeting = Zmtp.greeting();
        ByteBuffer ready = Zmtp.frame(Zmtp.FLAG_COMMAND, Zmtp.ready("ROUTER", null));
        this.hello = new byte[greeting.length + ready.remaining()];
        System.arraycopy(greeting, 0, hello, 0, greeting.length);
        ready.get(hello, greeting.length, ready.remaining());
        this.selector = Selector.open();
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, backlog);
            server.configureBlocking(false);
            serverKey = server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    /** The bound address (its port when 0 was asked for). */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    /** Wakes {@link #poll} whenever {@code channel} is readable, which then calls {@code onReadable}. */
    public void wakeUpOn(java.nio.channels.SelectableChannel channel, Runnable onReadable) throws IOException {
        wakeupKey = channel.register(selector, SelectionKey.OP_READ);
        onWakeup = onReadable;
    }

    /**
     * Waits up to {@code timeoutMs} for something to do (not at all while connections found ready
     * before are still to be served), then accepts, reads and writes what is ready, handing each
     * complete message to {@code r}. It returns after {@code maxMessages} messages, so that its
     * caller can send in between; the connections not served yet come first in the next call.
     *
     * @return the messages handed over
     */
    public int poll(long timeoutMs, int maxMessages, Receiver r) throws IOException {
        this.receiver = r;
        long now = System.nanoTime();
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            serverKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        if (selector.selectedKeys().isEmpty()) {
            selector.select(timeoutMs);
        }
        int before = messages;
        boolean allRead = true;
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext() && messages - before < maxMessages) {
            SelectionKey k = it.next();
            it.remove();
            if (!k.isValid()) {
                continue;
            }
            if (k == wakeupKey) {
                onWakeup.run();
            } else if (k == serverKey) {
                accept();
            } else if (k.attachment() instanceof ZmtpPeer p) {
                if (k.isWritable()) {
                    p.flushPending();
                }
                if (k.isValid() && k.isReadable()) {
                    allRead &= read(p);
                }
            }
        }
        caughtUp = allRead && selector.selectedKeys().isEmpty();
        expireHandshakes(System.nanoTime());
        return messages - before;
    }

    /** True when the last {@link #poll} served every ready connection and read all they had sent. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Queues a one-frame message for the peer named {@code identity}.
     *
     * @return false when no peer has that identity, or its queue is full (the message is dropped)
     */
    public boolean send(byte[] identity, byte[] body) {
        ZmtpPeer p = routes.get(ByteBuffer.wrap(identity));
        if (p == null || !p.isOpen() || p.pendingBuffers() >= sendLimitBuffers) {
            return false;
        }
        // one buffer, one write call: what masters send (heartbeat replies, spawns) is small
        return p.write(Zmtp.frame(0, body));
    }

    /** The identity of a peer passed to a {@link Receiver}. */
    public static byte[] identity(Object peer) {
        return ((ZmtpPeer) peer).identity();
    }

    /** What the owner keeps for a peer passed to a {@link Receiver} (null until it sets one). */
    public static Object attachment(Object peer) {
        return ((ZmtpPeer) peer).attachment;
    }

    /** Keeps {@code value} with a peer passed to a {@link Receiver}. */
    public static void attach(Object peer, Object value) {
        ((ZmtpPeer) peer).attachment = value;
    }

    /** Connections open now (handshakes included). */
    public int connections() {
        int n = 0;
        for (SelectionKey k : selector.keys()) {
            if (k.attachment() instanceof ZmtpPeer p && !p.isClosed()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Stops accepting, writes what is queued for up to {@code lingerMs}, then closes every
     * connection and the socket.
     */
    @Override
    public void close() {
        close(0);
    }

    /** {@link #close()} after up to {@code lingerMs} of writing what is queued. */
    public void close(long lingerMs) {
        try {
            serverKey.cancel();
            server.close();
            long deadline = System.nanoTime() + lingerMs * 1_000_000L;
            while (hasPending() && deadline - System.nanoTime() > 0) {
                selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
                for (SelectionKey k : selector.selectedKeys()) {
                    if (k.isValid() && k.isWritable() && k.attachment() instanceof ZmtpPeer p) {
                        p.flushPending();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Error while the master socket lingered", e);
        } finally {
            for (SelectionKey k : List.copyOf(selector.keys())) {
                if (k.attachment() instanceof ZmtpPeer p) {
                    close(p, null);
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private boolean hasPending() {
        for (SelectionKey k : selector.keys()) {
            if (k.isValid() && k.attachment() instanceof ZmtpPeer p && p.pendingBuffers() > 0) {
                return true;
            }
        }
        return false;
    }

    private void accept() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                // typically out of file descriptors: pause accepting instead of spinning on it
                LOG.warn("The master socket cannot accept a connection ({}); pausing accepts for 100 ms", e.toString());
                serverKey.interestOps(0);
                acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE_NANOS;
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                ch.configureBlocking(false);
                Zmq.configureTcp(ch);
                SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                ZmtpPeer p = new ZmtpPeer(this, ch, key, maxFrameBytes, System.nanoTime());
                key.attach(p);
                handshaking.add(p);
                // the signature only, as ZeroMQ itself starts: JeroMQ's clients can stall on a whole
                // greeting and READY that arrive before they have sent their own signature
                p.write(ByteBuffer.wrap(hello, 0, Zmtp.SIGNATURE_BYTES));
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not set up an accepted connection", e);
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // it failed already
                }
            }
        }
    }

    /** One read into the shared buffer and its parse; true when the read took all there was. */
    private boolean read(ZmtpPeer p) {
        in.clear();
        int n;
        try {
            n = p.channel.read(in);
        } catch (IOException e) {
            close(p, e);
            return true;
        }
        if (n < 0) {
            close(p, null);
            return true;
        }
        in.flip();
        try {
            p.consume(in);
        } catch (IOException | RuntimeException e) {
            // a peer's bytes cost its own connection, whatever they make the parse throw
            LOG.debug("Closing the connection from {}: {}", remote(p), e.toString());
            close(p, null);
        }
        return n < in.capacity();
    }

    /** From {@link ZmtpPeer}: a complete message. */
    void received(ZmtpPeer p, byte[] first, int frames) {
        messages++;
        receiver.onMessage(p, first, frames);
    }

    /** From {@link ZmtpPeer}: it sent a ZMTP 3 signature; the rest of our greeting and our READY follow. */
    void signed(ZmtpPeer p) {
        p.write(ByteBuffer.wrap(hello, Zmtp.SIGNATURE_BYTES, hello.length - Zmtp.SIGNATURE_BYTES));
    }

    /** From {@link ZmtpPeer}: its READY was accepted. */
    void opened(ZmtpPeer p) {
        handshaking.remove(p);
        if (p.identity() == null) {
            byte[] id = new byte[5];
            do {
                ThreadLocalRandom.current().nextBytes(id);
                id[0] = 0;
            } while (routes.containsKey(ByteBuffer.wrap(id)));
            p.identity(id);
        }
        ZmtpPeer old = routes.put(ByteBuffer.wrap(p.identity()), p);
        if (old != null && old != p) {
            close(old, null); // handed over: its close leaves the route, which is no longer its own
        }
    }

    /** From {@link ZmtpPeer}: tells a peer why it is refused before closing it (best effort). */
    void sendError(ZmtpPeer p, String reason) {
        p.write(Zmtp.frame(Zmtp.FLAG_COMMAND, Zmtp.error(reason)));
    }

    /** Closes one connection; its route goes with it. */
    void close(ZmtpPeer p, IOException why) {
        if (p.isClosed()) {
            return;
        }
        if (why != null) {
            LOG.debug("Connection from {} failed: {}", remote(p), why.toString());
        }
        boolean open = p.isOpen();
        p.markClosed();
        if (open) {
            routes.remove(ByteBuffer.wrap(p.identity()), p);
        } else {
            handshaking.remove(p);
        }
        p.key.cancel();
        try {
            p.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void expireHandshakes(long now) {
        if (handshaking.isEmpty() || now - nextHandshakeCheck < 0) {
            return;
        }
        nextHandshakeCheck = now + Math.min(1_000_000_000L, handshakeTimeoutNanos / 4);
        for (ZmtpPeer p : List.copyOf(handshaking)) {
            if (now - p.acceptedNanos > handshakeTimeoutNanos) {
                LOG.debug("Closing the connection from {}: no handshake within {} ms", remote(p), handshakeTimeoutNanos / 1_000_000);
                close(p, null);
            }
        }
    }

    private static String remote(ZmtpPeer p) {
        try {
            return String.valueOf(p.channel.getRemoteAddress());
        } catch (IOException | RuntimeException e) {
            return "a closed connection";
        }
    }
}
