package io.locusttelemetry.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router's own limits: handshakes that never end, and the queue of a peer that reads nothing. */
@Timeout(60)
class ZmtpRouterTest {

    /** A router on its own thread; what it receives is collected. */
    static final class Running implements AutoCloseable {
        final ZmtpRouter router;
        final List<byte[]> received = new CopyOnWriteArrayList<>();
        final List<Runnable> onLoop = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread thread;

        Running(long handshakeTimeoutNanos, int sendLimit) throws IOException {
            router = new ZmtpRouter(new InetSocketAddress("127.0.0.1", 0), 1 << 20, sendLimit, 16, handshakeTimeoutNanos);
            thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        router.poll(50, 256, (peer, frame, frames) -> received.add(frame));
                        for (Runnable r : onLoop) {
                            onLoop.remove(r);
                            r.run();
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    router.close();
                }
            });
            thread.start();
        }

        int port() throws IOException {
            return router.localAddress().getPort();
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            thread.join(5000);
        }
    }

    static boolean closedWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            byte[] sink = new byte[256];
            while (s.getInputStream().read(sink) >= 0) {
                // the router's signature, greeting and READY
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static byte[] readyFrame(String identity) {
        ByteBuffer b = Zmtp.frame(Zmtp.FLAG_COMMAND, Zmtp.ready("DEALER", identity.getBytes(StandardCharsets.UTF_8)));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void aConnectionThatNeverFinishesItsHandshakeIsClosedAtTheTimeout() throws Exception {
        try (Running r = new Running(400_000_000L, 1000);
             Socket silent = new Socket("127.0.0.1", r.port());
             Socket halfGreeting = new Socket("127.0.0.1", r.port());
             Socket noReady = new Socket("127.0.0.1", r.port());
             Socket good = new Socket("127.0.0.1", r.port())) {
            halfGreeting.getOutputStream().write(java.util.Arrays.copyOf(Zmtp.greeting(), 30));
            noReady.getOutputStream().write(Zmtp.greeting());
            good.getOutputStream().write(Zmtp.greeting());
            good.getOutputStream().write(readyFrame("good"));
            long t0 = System.nanoTime();
            assertThat(closedWithin(silent, 5000)).isTrue();
            assertThat(closedWithin(halfGreeting, 5000)).isTrue();
            assertThat(closedWithin(noReady, 5000)).isTrue();
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(4.0);
            assertThat(closedWithin(good, 1500)).as("a peer that did its handshake stays").isFalse();
            assertThat(r.router.connections()).isEqualTo(1);
        }
    }

    @Test
    void messagesForAPeerThatReadsNothingStopAtItsLimit() throws Exception {
        try (Running r = new Running(Zmq.MASTER_HANDSHAKE_TIMEOUT_NANOS, 100);
             Socket sleepy = new Socket("127.0.0.1", r.port())) {
            sleepy.setReceiveBufferSize(4096);
            sleepy.getOutputStream().write(Zmtp.greeting());
            sleepy.getOutputStream().write(readyFrame("sleepy"));
            DataInputStream in = new DataInputStream(sleepy.getInputStream());
            in.readNBytes(64);
            Thread.sleep(300);
            byte[] body = new byte[64 * 1024];
            int[] accepted = new int[1];
            boolean[] toNobody = new boolean[1];
            CopyOnWriteArrayList<Boolean> done = new CopyOnWriteArrayList<>();
            r.onLoop.add(() -> {
                for (int i = 0; i < 1000; i++) {
                    if (r.router.send("sleepy".getBytes(StandardCharsets.UTF_8), body)) {
                        accepted[0]++;
                    }
                }
                toNobody[0] = r.router.send("nobody".getBytes(StandardCharsets.UTF_8), body);
                done.add(true);
            });
            while (done.isEmpty()) {
                Thread.sleep(10);
            }
            // 64 MB offered to a peer that reads nothing: the kernel's buffers and the limit's 100 messages hold it
            assertThat(accepted[0]).isBetween(100, 400);
            assertThat(toNobody[0]).as("no route, dropped").isFalse();
        }
    }
}
