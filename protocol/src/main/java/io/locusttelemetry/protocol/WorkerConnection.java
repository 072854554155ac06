package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.SocketLoop;
import io.locusttelemetry.protocol.internal.Wakeup;
import io.locusttelemetry.protocol.internal.Zmq;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The worker side of the Locust transport: a ZeroMQ DEALER whose identity is the node id,
 * connected to the master's ROUTER.
 *
 * <p>One thread owns the socket: {@code locust-worker-io-<node id>}, which like JeroMQ's own
 * threads comes from the {@link ThreadFactory} given to
 * {@link #connect(String, int, String, Listener, ThreadFactory)}. {@link #send} may be called from
 * any thread; messages are encoded on the calling thread, queued, and written in call order. The listener runs on the
 * socket thread, in arrival order, and must not block for long; it may call {@link #send},
 * {@link #reconnect()} and {@link #close()}.
 *
 * <p>A master cannot stop the connection with what it sends: frames above
 * {@link MessageCodec#MAX_FRAME_BYTES} close the connection unread (ZeroMQ connects again), and
 * whatever one frame throws while it is decoded or handled, a stack overflow included, costs that
 * frame only. Only an error after which nothing can be trusted (out of memory) ends the socket,
 * and the listener hears of it.
 */
public final class WorkerConnection implements AutoCloseable {

    /** Receives what the master sends. Exceptions thrown here are logged and do not stop the connection. */
    public interface Listener {

        /**
         * A decoded message.
         *
         * @param message the generic message
         * @param typed   its typed view, {@link LocustMessage#fromMaster(Message)}
         */
        void onMessage(Message message, LocustMessage typed);

        /**
         * A frame that could not be decoded; it has been discarded. A master can send these at
         * will, so a listener that logs them should limit how often.
         */
        default void onCorruptFrame(CorruptMessageException error) {
            LoggerFactory.getLogger(WorkerConnection.class).debug("Discarded a corrupt frame from the master: {}",
                    error.getMessage());
        }

        /**
         * The socket thread ended on an error no frame may cost (the JVM ran out of memory or
         * failed inside, or ZeroMQ failed): nothing more arrives or leaves. Called once, on the
         * dying socket thread.
         */
        default void onSocketFailure(Throwable error) {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkerConnection.class);
    private static final int RECEIVE_BATCH = 256;
    private static final long POLL_SAFETY_MS = 1000;
    /** Poller slots: the wake-up pipe is registered first, the socket second. */
    private static final int SOCKET_ITEM = 1;

    private final String nodeId;
    private final byte[] identity;
    private final String endpoint;
    private final boolean ipv6;
    private final Listener listener;
    private final ZContext ctx;
    private final SocketLoop loop;
    private final Queue<byte[]> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean reconnectRequested = new AtomicBoolean();

    private WorkerConnection(String host, int port, String nodeId, Listener listener, ThreadFactory threads) {
        if (!NodeId.isValid(nodeId)) {
            throw new IllegalArgumentException("node id must be non-empty UTF-8 of at most 255 bytes "
                    + "not starting with a zero byte: " + nodeId);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.nodeId = nodeId;
        this.identity = nodeId.getBytes(StandardCharsets.UTF_8);
        this.endpoint = Zmq.endpoint(Objects.requireNonNull(host, "host"), Integer.toString(port));
        this.ipv6 = host.indexOf(':') >= 0;
        this.listener = Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(threads, "threads");
        Wakeup wakeup;
        try {
            wakeup = new Wakeup();
        } catch (IOException e) {
            throw new TransportException("Cannot create the wake-up pipe for " + endpoint, e);
        }
        this.loop = new SocketLoop(wakeup, LOG);
        this.ctx = Zmq.newContext(threads);
        final ZMQ.Socket initial;
        try {
            // Connect on the caller's thread so that a malformed address fails here.
            initial = openDealer();
        } catch (RuntimeException e) {
            ctx.close();
            wakeup.close();
            throw new TransportException("Cannot connect the worker socket to " + endpoint + ": " + e.getMessage(), e);
        }
        loop.start(threads, () -> run(initial), "locust-worker-io-" + nodeId);
    }

    /**
     * Connects to a master at {@code tcp://host:port}. ZeroMQ connects in the background and
     * retries until the master is up; messages sent meanwhile are queued.
     *
     * @param nodeId the worker's node id (see {@link NodeId}), used as identity
     * @throws TransportException if the socket cannot be set up (for example a malformed host)
     */
    public static WorkerConnection connect(String host, int port, String nodeId, Listener listener) {
        return connect(host, port, nodeId, listener, Zmq.DAEMON_THREADS);
    }

    /**
     * Connects with threads from {@code threads} (they should be daemons; the connection names
     * them).
     */
    public static WorkerConnection connect(String host, int port, String nodeId, Listener listener, ThreadFactory threads) {
        return new WorkerConnection(host, port, nodeId, listener, threads);
    }

    /** The node id, which is also the socket identity. */
    public String nodeId() {
        return nodeId;
    }

    /** The {@code tcp://host:port} address this connection targets. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Queues a message for the master.
     *
     * @return false if the connection is closed and the message was dropped
     * @throws IllegalArgumentException if the data cannot be encoded
     */
    public boolean send(Message message) {
        byte[] body = MessageCodec.encode(message);
        if (loop.isStopping()) {
            return false;
        }
        outbox.add(body);
        loop.wakeup().signal();
        return true;
    }

    /** Queues a typed message with this worker's node id. */
    public boolean send(LocustMessage message) {
        return send(message.toMessage(nodeId));
    }

    /**
     * Replaces the socket with a new DEALER of the same identity, as Locust workers do on the
     * master's {@code reconnect}. Messages queued but not yet written to the old socket go out
     * on the new one; anything already inside the old socket is discarded with it.
     */
    public void reconnect() {
        reconnectRequested.set(true);
        loop.wakeup().signal();
    }

    /** True once {@link #close()} was called or the socket thread ended. */
    public boolean isClosed() {
        return loop.isStopping();
    }

    /**
     * Sends what is still queued (waiting up to 500 ms for delivery), closes the socket and stops
     * the thread. Idempotent; when called from the listener it returns without waiting.
     */
    @Override
    public void close() {
        loop.close();
    }

    private ZMQ.Socket openDealer() {
        ZMQ.Socket s = ctx.createSocket(SocketType.DEALER);
        s.setIdentity(identity);
        s.setLinger(Zmq.CLOSE_LINGER_MS);
        Zmq.configureTcp(s);
        Zmq.configureConnecting(s);
        Zmq.configureLimits(s, MessageCodec.MAX_FRAME_BYTES);
        if (ipv6) {
            s.setIPv6(true);
        }
        s.connect(endpoint);
        return s;
    }

    private void run(ZMQ.Socket initial) {
        ZMQ.Socket socket = initial;
        byte[] pendingBody = null;
        ZMQ.Poller poller = null;
        try {
            poller = ctx.createPoller(2);
            poller.register(loop.wakeup().channel(), ZMQ.Poller.POLLIN);
            int socketEvents = ZMQ.Poller.POLLIN;
            poller.register(socket, socketEvents);
            while (!loop.isStopping()) {
                if (reconnectRequested.getAndSet(false)) {
                    LOG.info("Reconnecting to {} as {}", endpoint, nodeId);
                    poller.unregister(socket);
                    // Drop the old connection at once: a master without ROUTER_HANDOVER only
                    // routes to the new one after it has noticed the old one is gone.
                    socket.setLinger(0);
                    socket.close();
                    socket = openDealer();
                    socketEvents = ZMQ.Poller.POLLIN;
                    poller.register(socket, socketEvents);
                }
                pendingBody = flush(socket, pendingBody);
                int wanted = ZMQ.Poller.POLLIN | (pendingBody != null ? ZMQ.Poller.POLLOUT : 0);
                if (wanted != socketEvents) {
                    poller.unregister(socket);
                    socketEvents = wanted;
                    poller.register(socket, socketEvents);
                }
                poller.poll(POLL_SAFETY_MS);
                loop.wakeup().drain();
                if (poller.pollin(SOCKET_ITEM)) {
                    receive(socket);
                }
            }
            flush(socket, pendingBody);
        } catch (RuntimeException | Error e) {
            if (!loop.isStopping()) {
                LOG.error("Worker connection to {} failed", endpoint, e);
                try {
                    listener.onSocketFailure(e);
                } catch (RuntimeException | Error t) {
                    LOG.debug("Listener failed on the socket failure", t);
                }
            }
        } finally {
            loop.ended();
            Zmq.closeLoop(poller, ctx, loop.wakeup(), outbox, LOG, "worker");
        }
    }

    /** Writes queued bodies until the socket pushes back; returns the body that did not fit, if any. */
    private byte[] flush(ZMQ.Socket socket, byte[] pending) {
        byte[] body = pending != null ? pending : outbox.poll();
        while (body != null) {
            if (!socket.send(body, ZMQ.DONTWAIT)) {
                int errno = socket.errno();
                if (errno == ZMQ.Error.EAGAIN.getCode()) {
                    return body;
                }
                LOG.warn("Dropped a message to {}: send failed with errno {}", endpoint, errno);
            }
            body = outbox.poll();
        }
        return null;
    }

    private void receive(ZMQ.Socket socket) {
        for (int i = 0; i < RECEIVE_BATCH && !loop.isStopping(); i++) {
            byte[] frame;
            try {
                frame = socket.recv(ZMQ.DONTWAIT);
            } catch (ZMQException e) {
                LOG.debug("Receive failed", e);
                return;
            }
            if (frame == null) {
                return;
            }
            int extra = 0;
            while (socket.hasReceiveMore()) {
                socket.recv(0);
                extra++;
            }
            if (extra > 0) {
                deliverCorrupt(new CorruptMessageException("multipart message of " + (extra + 1) + " frames"));
                continue;
            }
            SocketLoop.Decoded decoded;
            try {
                decoded = SocketLoop.decode(frame, LocustMessage::fromMaster);
            } catch (CorruptMessageException e) {
                deliverCorrupt(e);
                continue;
            }
            try {
                listener.onMessage(decoded.message(), decoded.typed());
            } catch (RuntimeException | Error t) {
                loop.listenerFailed(t, "a '" + decoded.message().type() + "' message");
            }
        }
    }

    private void deliverCorrupt(CorruptMessageException e) {
        try {
            listener.onCorruptFrame(e);
        } catch (RuntimeException | Error t) {
            loop.listenerFailed(t, "a corrupt frame");
        }
    }
}
