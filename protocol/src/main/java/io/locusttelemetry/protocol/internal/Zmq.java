package io.locusttelemetry.protocol.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** ZeroMQ setup shared by the master and worker sockets. */
public final class Zmq {

    /** How long closing waits for queued outgoing messages (final stats, quit) to leave. */
    public static final int CLOSE_LINGER_MS = 500;

    /** TCP keepalive idle time, as Locust configures it. */
    public static final int KEEPALIVE_IDLE_S = 30;

    /**
     * Per-peer queue limit of the master's ROUTER. ZeroMQ's default of 1000 would make a
     * non-mandatory ROUTER silently drop part of a burst to one worker; masters send little per
     * worker, so a larger bound costs nothing in normal operation.
     */
    public static final int MASTER_SEND_HWM = 100_000;

    /**
     * Connections the master's listening socket queues before it accepts them. ZeroMQ's default
     * of 100 makes thousands of workers that start together (a scaled-out deployment, a restarted
     * master) wait for SYN retries, seconds each; the kernel caps it at {@code net.core.somaxconn}.
     */
    public static final int MASTER_BACKLOG = 4096;

    /**
     * How long a connection to the master may take to greet and send its READY before the master
     * closes it: ZeroMQ's default handshake interval.
     */
    public static final long MASTER_HANDSHAKE_TIMEOUT_NANOS = 30_000_000_000L;

    /** ZMTP handshake limit for connecting sockets (see {@link #configureConnecting}). */
    public static final int HANDSHAKE_TIMEOUT_MS = 2000;

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final SocketOption<Integer> KEEPALIVE_IDLE = keepAliveIdleOption();

    /** The transport's threads when its user passes no factory: daemons, named by {@link #thread}. */
    public static final ThreadFactory DAEMON_THREADS = task -> {
        Thread t = new Thread(task);
        t.setDaemon(true);
        return t;
    };

    private Zmq() {
    }

    /**
     * A thread from {@code threads}, given the transport's name for it. The names (for example
     * {@code locust-master-io-5557}) are the transport's whatever the factory: thread dumps and
     * per-thread CPU tables identify the sockets by them.
     */
    public static Thread thread(ThreadFactory threads, Runnable task, String name) {
        Thread t = threads.newThread(task);
        t.setName(name);
        return t;
    }

    /**
     * Ends a socket thread's loop: closes its poller and context (the context lingers up to
     * {@link #CLOSE_LINGER_MS} so the last messages get out), its wake-up pipe, and drops what is
     * still queued.
     */
    public static void closeLoop(Closeable poller, ZContext ctx, Wakeup wakeup, java.util.Queue<?> outbox,
                                 org.slf4j.Logger log, String what) {
        try {
            if (poller != null) {
                poller.close();
            }
            ctx.close();
        } catch (IOException | RuntimeException e) {
            log.debug("Error while closing the {} context", what, e);
        }
        wakeup.close();
        outbox.clear();
    }

    /** A context with one I/O thread whose internal threads are named daemons. */
    public static ZContext newContext() {
        return newContext(DAEMON_THREADS);
    }

    /** A context with one I/O thread whose internal threads come from {@code threads}, named {@code locust-zmq-*}. */
    public static ZContext newContext(ThreadFactory threads) {
        ZContext ctx = new ZContext(1);
        ctx.setLinger(CLOSE_LINGER_MS);
        ctx.setThreadFactor((runnable, name) -> thread(threads, runnable, "locust-zmq-" + name + "-" + THREADS.incrementAndGet()));
        return ctx;
    }

    public static void configureTcp(ZMQ.Socket socket) {
        socket.setTCPKeepAlive(1);
        socket.setTCPKeepAliveIdle(KEEPALIVE_IDLE_S);
    }

    /** The same TCP settings for a connection of the master's own ROUTER, plus no Nagle delay (as ZeroMQ sets). */
    public static void configureTcp(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        if (KEEPALIVE_IDLE != null) {
            try {
                channel.setOption(KEEPALIVE_IDLE, KEEPALIVE_IDLE_S);
            } catch (IOException | RuntimeException e) {
                // the system's default idle time then
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static SocketOption<Integer> keepAliveIdleOption() {
        try {
            Class<?> c = Class.forName("jdk.net.ExtendedSocketOptions");
            return (SocketOption<Integer>) c.getField("TCP_KEEPIDLE").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /**
     * Options for the connecting (worker) side. JeroMQ 0.6.0 can lose the poller registration of
     * a TCP connection that completes immediately (typical on loopback): its connecter and the new
     * stream engine share the channel, and retiring the connecter's handle may cancel the engine's
     * selection key. The handshake then never progresses and every queued message waits for the
     * handshake timeout, 30 s by default. A short timeout turns such a stall into a quick
     * reconnect; a real ZMTP handshake needs a few round trips, far below this limit.
     */
    public static void configureConnecting(ZMQ.Socket socket) {
        socket.setHandshakeIvl(HANDSHAKE_TIMEOUT_MS);
    }

    /** {@code tcp://host:port}, bracketing IPv6 literals; {@code *} stays as is. */
    public static String endpoint(String host, String port) {
        String h = host == null || host.isEmpty() ? "*" : host;
        if (isIpv6Literal(h)) {
            h = "[" + h + "]";
        }
        return "tcp://" + h + ":" + port;
    }

    public static boolean isIpv6Literal(String host) {
        return host != null && host.indexOf(':') >= 0 && !host.startsWith("[");
    }

    /** The port of a {@code tcp://host:port} endpoint as reported by the socket, or -1. */
    public static int portOf(String endpoint) {
        if (endpoint == null) {
            return -1;
        }
        int colon = endpoint.lastIndexOf(':');
        try {
            return Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    /**
     * Whether a throwable ends a socket thread instead of costing one frame. A stack overflow is
     * not fatal: the stack has unwound by the time it is caught, and the frame that caused it is
     * dropped. Running out of memory, or the JVM failing inside, is: nothing after it can be
     * trusted, so the socket ends and its owner is told (see the listeners' {@code onSocketFailure}).
     */
    public static boolean isFatal(Throwable t) {
        return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
    }

    /** Configures the limits every socket has: frames above {@code maxFrameBytes} close the connection unread. */
    public static void configureLimits(ZMQ.Socket socket, int maxFrameBytes) {
        socket.setMaxMsgSize(maxFrameBytes);
    }
}
