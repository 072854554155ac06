package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.SocketLoop;
import io.locusttelemetry.protocol.internal.Wakeup;
import io.locusttelemetry.protocol.internal.Zmq;
import io.locusttelemetry.protocol.internal.ZmtpRouter;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master side of the Locust transport: a ZeroMQ ROUTER bound to
 * {@code tcp://bindHost:bindPort}. Each received message arrives as {@code [identity, body]};
 * replies go out as {@code [identity, body]}. Messages for identities that are not connected are
 * silently dropped (ROUTER_MANDATORY off, as in Locust), and a worker that reconnects with its
 * identity takes its route over at once (ROUTER_HANDOVER).
 *
 * <p>The socket is jlocust's own ZMTP 3 ROUTER ({@link ZmtpRouter}) served by one thread: with
 * thousands of workers a general ZeroMQ library's I/O thread, pipes and mailboxes cost more than
 * the messages. Workers of any ZeroMQ (libzmq under pyzmq, JeroMQ) connect to it as to a ZeroMQ
 * ROUTER.
 *
 * <p>No frame can stop the socket: frames above {@link MessageCodec#MAX_FRAME_BYTES} close their
 * connection unread, a peer that breaks ZMTP loses its connection only, and whatever one frame
 * throws while it is decoded or handled, a stack overflow included, costs that frame only (it is
 * reported to the listener as corrupt). Only an error after which nothing can be trusted, such as
 * running out of memory, ends the socket, and the listener hears of it ({@link Listener#onSocketFailure}).
 *
 * <p>One thread owns the socket: {@code locust-master-io-<port>}, from the {@link ThreadFactory}
 * given to {@link #bind(String, int, Listener, ThreadFactory)}.
 * The send methods may be called from any thread; messages are encoded on the calling thread,
 * queued, and written in call order. The listener runs on the
 * socket thread, in arrival order, and must not block for long; it may call the send methods and
 * {@link #close()}.
 */
public final class MasterServer implements AutoCloseable {

    /** Receives what workers send. Exceptions thrown here are logged and do not stop the server. */
    public interface Listener {

        /**
         * A decoded message.
         *
         * @param sender  the routing identity it came from (normally equal to the message's node id)
         * @param message the generic message
         * @param typed   its typed view, {@link LocustMessage#fromWorker(Message)}
         */
        void onMessage(Identity sender, Message message, LocustMessage typed);

        /**
         * A frame that is not a valid message, or whose sender identity is not UTF-8. Locust
         * masters answer the real sender with {@link Reconnect} (if it is a known worker).
         */
        void onCorruptFrame(Identity sender, CorruptMessageException error);

        /**
         * The socket thread ended on an error no frame may cost: the JVM ran out of memory or
         * failed inside, or ZeroMQ failed. No more messages arrive; the master cannot go on and
         * should end its run with an error. Called once, on the dying socket thread.
         */
        default void onSocketFailure(Throwable error) {
        }
    }

    private record Outgoing(byte[] identity, byte[] body) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(MasterServer.class);
    /** Messages handled between two looks at what is queued to send. */
    private static final int RECEIVE_BATCH = 256;
    private static final long POLL_SAFETY_MS = 1000;
    /**
     * How long the socket thread lets messages gather after it handled all there were (at most this
     * late): 10 ms, so that a thousand workers' 1,300 messages a second wake it about 100 times rather
     * than once each; heartbeat replies go out in rounds twice a second anyway.
     */
    private static final long GATHER_NANOS = 10_000_000L;

    private final Listener listener;
    private final SocketLoop loop;
    private final ZmtpRouter socket;
    private final String endpoint;
    private final int port;
    private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    /** When the socket thread last found no message waiting, having handled all that came before. */
    private volatile long caughtUpNanos = System.nanoTime();

    private MasterServer(String bindHost, int bindPort, Listener listener, ThreadFactory threads) {
        if (bindPort < 0 || bindPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + bindPort);
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(threads, "threads");
        String host = bindHost == null || bindHost.isEmpty() ? "*" : bindHost;
        String requested = Zmq.endpoint(host, bindPort == 0 ? "*" : Integer.toString(bindPort));
        Wakeup wakeup;
        try {
            wakeup = new Wakeup();
        } catch (IOException e) {
            throw new TransportException("Cannot create the wake-up pipe for " + requested, e);
        }
        this.loop = new SocketLoop(wakeup, LOG);
        InetSocketAddress bound;
        try {
            InetAddress address = host.equals("*") ? InetAddress.getByName("0.0.0.0")
                    : InetAddress.getByName(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
            socket = new ZmtpRouter(new InetSocketAddress(address, bindPort), MessageCodec.MAX_FRAME_BYTES,
                    Zmq.MASTER_SEND_HWM, Zmq.MASTER_BACKLOG, Zmq.MASTER_HANDSHAKE_TIMEOUT_NANOS);
            socket.wakeUpOn(wakeup.channel(), wakeup::drain);
            bound = socket.localAddress();
        } catch (IOException | RuntimeException e) {
            wakeup.close();
            String why = e instanceof BindException ? "Address already in use"
                    : e instanceof UnknownHostException ? "unknown host " + host : e.getMessage();
            throw new TransportException("Cannot bind the master socket to " + requested + ": " + why, e);
        }
        this.port = bound.getPort();
        this.endpoint = Zmq.endpoint(bound.getAddress().getHostAddress(), Integer.toString(port));
        loop.start(threads, this::run, "locust-master-io-" + port);
    }

    /**
     * Binds a master socket.
     *
     * @param bindHost interface address, or {@code "*"} (or empty/null) for all interfaces
     * @param bindPort TCP port (Locust's default is 5557); 0 picks a free port, see {@link #port()}
     * @throws TransportException with the address in its message if binding fails (port in use)
     */
    public static MasterServer bind(String bindHost, int bindPort, Listener listener) {
        return bind(bindHost, bindPort, listener, Zmq.DAEMON_THREADS);
    }

    /**
     * Binds a master socket whose threads come from {@code threads} (they should be daemons; the
     * server names them).
     */
    public static MasterServer bind(String bindHost, int bindPort, Listener listener, ThreadFactory threads) {
        return new MasterServer(bindHost, bindPort, listener, threads);
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** The bound endpoint, e.g. {@code tcp://0.0.0.0:5557}. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Queues a message for the worker named by its {@code nodeId}, which is the routing identity
     * of well-behaved workers (master messages carry the recipient's id).
     *
     * @return false if the server is closed
     * @throws IllegalArgumentException if the data cannot be encoded
     */
    public boolean send(Message message) {
        return send(Identity.of(message.nodeId()), message);
    }

    /** Queues a typed message for worker {@code nodeId}, with that id as the message's node id. */
    public boolean send(String nodeId, LocustMessage message) {
        return send(message.toMessage(nodeId));
    }

    /**
     * Queues a message for an explicit routing identity (for example the sender of a corrupt
     * frame, whose identity may not be text).
     */
    public boolean send(Identity recipient, Message message) {
        byte[] body = MessageCodec.encode(message);
        if (loop.isStopping()) {
            return false;
        }
        outbox.add(new Outgoing(recipient.rawBytes(), body));
        if (!loop.onLoopThread()) {
            // the socket thread itself (a reply from a message handler) flushes before it polls again
            loop.wakeup().signal();
        }
        return true;
    }

    /**
     * The {@link System#nanoTime()} at which the socket thread last found no message waiting:
     * every message that arrived before then has been handled. A master whose socket thread has
     * not caught up for a while is behind on its messages (it is short of CPU, or flooded), so a
     * worker's silence over that time says nothing about the worker.
     */
    public long caughtUpNanos() {
        return caughtUpNanos;
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

    private void run() {
        try {
            while (!loop.isStopping()) {
                flush();
                int handled = socket.poll(POLL_SAFETY_MS, RECEIVE_BATCH, this::onFrame);
                if (!socket.caughtUp()) {
                    continue; // what the batch queued (heartbeat replies among it) goes out before the next batch
                }
                caughtUpNanos = System.nanoTime();
                if (handled > 0) {
                    // Messages from many workers arrive one by one; waking for each costs more
                    // than the message. Waiting a moment after handling all there was lets the
                    // next ones gather for one wake-up. What the handling queued goes out first.
                    flush();
                    LockSupport.parkNanos(GATHER_NANOS);
                }
            }
            flush();
        } catch (IOException e) {
            LOG.error("Master socket on {} cannot wait for messages", endpoint, e);
            failed(e);
        } catch (RuntimeException | Error e) {
            if (!loop.isStopping()) {
                LOG.error("Master socket on {} failed", endpoint, e);
                failed(e);
            }
        } finally {
            loop.ended();
            socket.close(Zmq.CLOSE_LINGER_MS);
            loop.wakeup().close();
            outbox.clear();
        }
    }

    private void flush() {
        Outgoing out;
        while ((out = outbox.poll()) != null) {
            // as a ROUTER without ROUTER_MANDATORY: unroutable or over-limit messages are dropped
            if (!socket.send(out.identity(), out.body())) {
                LOG.debug("Dropped a message to {}", Identity.wrap(out.identity()));
            }
        }
    }

    /** One message from a peer, on the socket thread. */
    private void onFrame(Object peer, byte[] body, int parts) {
        if (loop.isStopping()) {
            return;
        }
        Identity sender = (Identity) ZmtpRouter.attachment(peer);
        if (sender == null) {
            sender = Identity.wrap(ZmtpRouter.identity(peer));
            ZmtpRouter.attach(peer, sender);
        }
        if (parts != 1) {
            deliverCorrupt(sender, new CorruptMessageException("expected one body frame after the identity, got " + parts));
            return;
        }
        if (!sender.isText()) {
            deliverCorrupt(sender, new CorruptMessageException("sender identity is not valid UTF-8"));
            return;
        }
        SocketLoop.Decoded frame;
        try {
            frame = SocketLoop.decode(body, LocustMessage::fromWorker);
        } catch (CorruptMessageException e) {
            deliverCorrupt(sender, e);
            return;
        }
        try {
            listener.onMessage(sender, frame.message(), frame.typed());
        } catch (RuntimeException | Error t) {
            loop.listenerFailed(t, "a '" + frame.message().type() + "' message from " + sender);
        }
    }

    private void deliverCorrupt(Identity sender, CorruptMessageException e) {
        try {
            listener.onCorruptFrame(sender, e);
        } catch (RuntimeException | Error t) {
            loop.listenerFailed(t, "a corrupt frame from " + sender);
        }
    }

    private void failed(Throwable e) {
        try {
            listener.onSocketFailure(e);
        } catch (RuntimeException | Error t) {
            LOG.debug("Listener failed on the socket failure", t);
        }
    }
}
