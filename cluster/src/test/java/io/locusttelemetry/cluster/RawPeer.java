package io.locusttelemetry.cluster;

import io.locusttelemetry.protocol.CorruptMessageException;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A hand-driven ZeroMQ peer for hostile tests: a DEALER (posing as a worker) or a ROUTER (posing
 * as a master), sending raw frames and keeping what it receives. Its socket is used from the
 * test's thread only; {@link #poll} reads what arrived.
 */
final class RawPeer implements AutoCloseable {
    private final ZContext ctx = new ZContext();
    private final ZMQ.Socket socket;
    private final boolean router;
    final List<Message> received = new CopyOnWriteArrayList<>();
    /** For a ROUTER: the identity of the last peer heard from. */
    byte[] lastSender;

    private RawPeer(SocketType type, String identity) {
        this.router = type == SocketType.ROUTER;
        socket = ctx.createSocket(type);
        socket.setLinger(0);
        socket.setSndHWM(0);
        socket.setRcvHWM(0);
        if (identity != null) {
            socket.setIdentity(identity.getBytes(StandardCharsets.UTF_8));
        }
        if (!router) {
            socket.setHandshakeIvl(2000);
        }
    }

    /** A DEALER with identity {@code identity} connected to a master on localhost. */
    static RawPeer worker(String identity, int masterPort) {
        RawPeer p = new RawPeer(SocketType.DEALER, identity);
        p.socket.connect("tcp://127.0.0.1:" + masterPort);
        return p;
    }

    /** A ROUTER bound to a free port on localhost. */
    static RawPeer master() {
        RawPeer p = new RawPeer(SocketType.ROUTER, null);
        p.socket.setRouterMandatory(false);
        p.socket.bind("tcp://127.0.0.1:*");
        return p;
    }

    int port() {
        String ep = socket.getLastEndpoint();
        return Integer.parseInt(ep.substring(ep.lastIndexOf(':') + 1));
    }

    void send(Message m) {
        send(MessageCodec.encode(m));
    }

    /** Sends one frame (to the last peer heard from, for a ROUTER). */
    void send(byte[] frame) {
        if (router) {
            socket.send(lastSender, ZMQ.SNDMORE);
        }
        socket.send(frame, 0);
    }

    /** Reads what arrived within {@code millis}; decodable messages are kept in {@link #received}. */
    void poll(long millis) {
        long end = System.currentTimeMillis() + millis;
        do {
            socket.setReceiveTimeOut((int) Math.max(1, Math.min(50, end - System.currentTimeMillis())));
            byte[] first = socket.recv(0);
            if (first == null) {
                continue;
            }
            byte[] body = first;
            if (router) {
                lastSender = first;
                body = socket.recv(0);
            }
            while (socket.hasReceiveMore()) {
                socket.recv(0);
            }
            try {
                received.add(MessageCodec.decode(body));
            } catch (CorruptMessageException e) {
                // not ours to judge
            }
        } while (System.currentTimeMillis() < end);
    }

    long count(String type) {
        return received.stream().filter(m -> m.type().equals(type)).count();
    }

    @Override
    public void close() {
        ctx.close();
    }
}
