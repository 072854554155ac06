package io.locusttelemetry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.protocol.TransportTest.MasterInbox;
import io.locusttelemetry.protocol.TransportTest.WorkerInbox;
import io.locusttelemetry.protocol.internal.Zmtp;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The master's ZMTP socket against peers that break the protocol on purpose: each costs its own
 * connection only, the master keeps serving real workers, and nothing reaches the listener but
 * whole messages of peers that did the handshake.
 */
@Timeout(120)
class HostileZmtpPeersTest {

    private MasterInbox inbox;
    private MasterServer master;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        inbox = new MasterInbox();
        master = MasterServer.bind("127.0.0.1", 0, inbox);
        toClose.add(master);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A hand-driven ZMTP peer on a blocking socket. */
    final class Raw implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final DataInputStream in;

        Raw() throws IOException {
            socket = new Socket("127.0.0.1", master.port());
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
            toClose.add(this);
        }

        Raw send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        /** Greeting and READY as a DEALER named {@code identity} (none when null). */
        Raw handshake(String identity) throws IOException {
            send(Zmtp.greeting());
            send(frame(Zmtp.FLAG_COMMAND, Zmtp.ready("DEALER", identity == null ? null : identity.getBytes(StandardCharsets.UTF_8))));
            readGreetingAndReady();
            return this;
        }

        void readGreetingAndReady() throws IOException {
            byte[] greeting = in.readNBytes(64);
            assertThat(greeting).hasSize(64);
            assertThat(Zmtp.greetingProblem(greeting)).isNull();
            Frame ready = readFrame();
            assertThat(ready.command()).isTrue();
            assertThat(Zmtp.property(ready.body(), "Socket-Type")).isEqualTo("ROUTER".getBytes(StandardCharsets.US_ASCII));
        }

        Frame readFrame() throws IOException {
            int flags = in.readUnsignedByte();
            long size = (flags & Zmtp.FLAG_LONG) != 0 ? in.readLong() : in.readUnsignedByte();
            byte[] body = in.readNBytes((int) size);
            return new Frame(flags, body);
        }

        /** True when the master closed the connection (end of stream or reset) within 10 s. */
        boolean closedByMaster() throws IOException {
            try {
                InputStream s = socket.getInputStream();
                byte[] sink = new byte[4096];
                while (true) {
                    if (s.read(sink) < 0) {
                        return true;
                    }
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (EOFException e) {
                return true;
            } catch (IOException e) {
                return true; // connection reset
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Frame(int flags, byte[] body) {
        boolean command() {
            return (flags & Zmtp.FLAG_COMMAND) != 0;
        }
    }

    static byte[] frame(int flags, byte[] body) {
        ByteBuffer b = Zmtp.frame(flags, body);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static byte[] heartbeat(String nodeId, int memory) {
        return MessageCodec.encode(new Heartbeat("ready", 0.0, memory).toMessage(nodeId));
    }

    /** A real worker still gets through: the master is unharmed. */
    private void aRealWorkerStillTalks(String name) throws Exception {
        WorkerInbox in = new WorkerInbox();
        WorkerConnection w = WorkerConnection.connect("127.0.0.1", master.port(), NodeId.generate(name), in);
        toClose.add(w);
        w.send(ClientReady.of("2.12.1"));
        // what hostile peers managed to send before may still be arriving: look for the worker's own
        TransportTest.FromWorker f;
        do {
            f = inbox.messages.poll(10, TimeUnit.SECONDS);
            assertThat(f).as("the real worker's message").isNotNull();
        } while (!w.nodeId().equals(f.sender().text()));
        master.send(w.nodeId(), new Ack(7));
        assertThat(in.messages.poll(10, TimeUnit.SECONDS)).isEqualTo(new Ack(7));
    }

    @Test
    void aWellBehavedRawPeerIsServedWhateverHowItsBytesAreSplit() throws Exception {
        Raw raw = new Raw();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(Zmtp.greeting());
        all.write(frame(Zmtp.FLAG_COMMAND, Zmtp.ready("dealer", "dribble".getBytes(StandardCharsets.UTF_8))));
        all.write(frame(0, heartbeat("dribble", 1)));
        byte[] big = MessageCodec.encode(new Heartbeat("x".repeat(70_000), 0.0, 2).toMessage("dribble"));
        all.write(frame(0, big));
        // one byte a write: every header, the greeting and the 70 kB body arrive in pieces
        for (byte b : all.toByteArray()) {
            raw.send(new byte[] {b});
        }
        raw.readGreetingAndReady();
        TransportTest.FromWorker first = inbox.messages.poll(20, TimeUnit.SECONDS);
        TransportTest.FromWorker second = inbox.messages.poll(20, TimeUnit.SECONDS);
        assertThat(first.sender().text()).isEqualTo("dribble");
        assertThat(((Heartbeat) first.typed()).currentMemoryUsage()).isEqualTo(1);
        assertThat(((Heartbeat) second.typed()).state()).hasSize(70_000);
        master.send("dribble", new Ack(3));
        Frame reply = raw.readFrame();
        assertThat(reply.command()).isFalse();
        assertThat(LocustMessage.fromMaster(MessageCodec.decode(reply.body()))).isEqualTo(new Ack(3));
        assertThat(inbox.corrupt).isEmpty();
    }

    @Test
    void pingGetsPongWithItsContext() throws Exception {
        Raw raw = new Raw().handshake("pinger");
        byte[] ping = {4, 'P', 'I', 'N', 'G', 0, 10, 'c', 't', 'x'};
        raw.send(frame(Zmtp.FLAG_COMMAND, ping));
        Frame pong = raw.readFrame();
        assertThat(pong.command()).isTrue();
        assertThat(Zmtp.commandName(pong.body())).isEqualTo("PONG");
        assertThat(Arrays.copyOfRange(pong.body(), 5, pong.body().length)).isEqualTo("ctx".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void brokenHandshakesCostTheirConnectionOnly() throws Exception {
        byte[] greeting = Zmtp.greeting();
        byte[] zmtp2 = greeting.clone();
        zmtp2[10] = 1;
        byte[] curve = greeting.clone();
        System.arraycopy("CURVE".getBytes(StandardCharsets.US_ASCII), 0, curve, 12, 5);
        byte[] ready = frame(Zmtp.FLAG_COMMAND, Zmtp.ready("DEALER", "x".getBytes(StandardCharsets.UTF_8)));
        byte[][] attempts = {
            "GET / HTTP/1.1\r\nHost: master\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // ZMTP 1.0's first frame
            zmtp2,
            curve,
            concat(greeting, frame(0, heartbeat("early", 0))), // a message before READY
            concat(greeting, frame(Zmtp.FLAG_COMMAND, Zmtp.ready("PUB", null))), // cannot talk to a ROUTER
            concat(greeting, frame(Zmtp.FLAG_COMMAND, new byte[] {5, 'H', 'E', 'L', 'L', 'O'})), // not READY
            concat(greeting, frame(Zmtp.FLAG_COMMAND, new byte[] {5, 'R', 'E', 'A', 'D', 'Y', 11, 'S', 'o', 'c', 'k', 'e', 't',
                '-', 'T', 'y', 'p', 'e', 0x7f, 0, 0, 0})), // a property length past the end
            concat(greeting, frame(Zmtp.FLAG_COMMAND, new byte[] {(byte) 200, 'R'})), // a name past the end
            concat(greeting, new byte[] {Zmtp.FLAG_COMMAND | Zmtp.FLAG_LONG, 0, 0, 0, 0, 0, 1, 0, 0}), // a 64 kB command
            concat(greeting, ready, new byte[] {(byte) 0x80, 1, 0}), // reserved flag bits
            concat(greeting, ready, new byte[] {Zmtp.FLAG_LONG, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}), // a negative size
            concat(greeting, ready, new byte[] {Zmtp.FLAG_LONG, 0, 0, 0, 0, 0x7f, 0, 0, 0}), // 2 GB, over the frame limit
            concat(greeting, ready, frame(Zmtp.FLAG_COMMAND | Zmtp.FLAG_MORE, new byte[] {4, 'P', 'I', 'N', 'G'})),
            concat(greeting, ready, frame(Zmtp.FLAG_COMMAND, new byte[] {5, 'E', 'R', 'R', 'O', 'R', 0})),
            concat(greeting, ready, frame(Zmtp.FLAG_COMMAND, Zmtp.ready("DEALER", null))), // a second READY
        };
        for (byte[] attempt : attempts) {
            Raw raw = new Raw();
            raw.send(attempt);
            assertThat(raw.closedByMaster()).as("closed after %s", new String(attempt, StandardCharsets.ISO_8859_1)).isTrue();
        }
        assertThat(inbox.messages).isEmpty();
        assertThat(inbox.corrupt).isEmpty();
        aRealWorkerStillTalks("after_broken_handshakes");
    }

    @Test
    void aPeerThatAnnouncesAHugeFrameAndStallsHoldsNothingAndOthersGoOn() throws Exception {
        List<Raw> stalled = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Raw raw = new Raw().handshake("stall_" + i);
            // a 7 MB frame announced (under the 8 MiB limit), a few bytes sent, then silence
            raw.send(new byte[] {Zmtp.FLAG_LONG, 0, 0, 0, 0, 0, 0x70, 0, 0, 1, 2, 3});
            stalled.add(raw);
        }
        long heapBefore = usedHeap();
        aRealWorkerStillTalks("beside_stalled");
        // the master holds what they sent, not what they announced (50 x 7 MB would be 350 MB)
        assertThat(usedHeap() - heapBefore).isLessThan(100L << 20);
        for (Raw raw : stalled) {
            raw.socket.setSoTimeout(100);
            assertThat(raw.closedByMaster()).as("a slow frame is not a broken one").isFalse();
        }
        // and the rest of a slow frame still arrives whole
        Raw last = stalled.get(0);
        byte[] rest = new byte[0x700000 - 3];
        last.send(rest);
        TransportTest.Corrupt c = inbox.corrupt.poll(20, TimeUnit.SECONDS);
        assertThat(c).as("the 7 MB frame, which is no Locust message").isNotNull();
        assertThat(c.sender().text()).isEqualTo("stall_0");
    }

    @Test
    void aNewConnectionWithAnIdentityInUseTakesTheRouteOver() throws Exception {
        Raw first = new Raw().handshake("twin");
        first.send(frame(0, heartbeat("twin", 1)));
        assertThat(inbox.messages.poll(10, TimeUnit.SECONDS)).isNotNull();
        Raw second = new Raw().handshake("twin");
        second.send(frame(0, heartbeat("twin", 2)));
        assertThat(((Heartbeat) inbox.messages.poll(10, TimeUnit.SECONDS).typed()).currentMemoryUsage()).isEqualTo(2);
        master.send("twin", new Ack(9));
        assertThat(MessageCodec.decode(second.readFrame().body()).type()).isEqualTo("ack");
        assertThat(first.closedByMaster()).isTrue();
    }

    @Test
    void aPeerWithoutIdentityGetsOneItCanBeAnsweredBy() throws Exception {
        Raw raw = new Raw().handshake(null);
        raw.send(frame(0, heartbeat("anonymous", 5)));
        Identity sender;
        TransportTest.FromWorker f = inbox.messages.poll(5, TimeUnit.SECONDS);
        if (f != null) {
            sender = f.sender();
        } else {
            // the made-up identity's random bytes need not be UTF-8: then the frame is reported corrupt
            TransportTest.Corrupt c = inbox.corrupt.poll(5, TimeUnit.SECONDS);
            assertThat(c).isNotNull();
            sender = c.sender();
        }
        assertThat(sender.bytes()).hasSize(5);
        assertThat(sender.bytes()[0]).isZero();
        master.send(sender, new Reconnect().toMessage("anonymous"));
        assertThat(MessageCodec.decode(raw.readFrame().body()).type()).isEqualTo("reconnect");
    }

    @Test
    void randomBytesAfterAnyPrefixOfAValidConversationNeverHurtTheMaster() throws Exception {
        Random rnd = new Random(0x2e70L);
        byte[] valid = concat(Zmtp.greeting(), frame(Zmtp.FLAG_COMMAND, Zmtp.ready("DEALER", "fuzz".getBytes(StandardCharsets.UTF_8))),
                frame(0, heartbeat("fuzz", 1)), frame(Zmtp.FLAG_MORE, heartbeat("fuzz", 2)), frame(0, heartbeat("fuzz", 3)));
        for (int round = 0; round < 150; round++) {
            byte[] prefix = Arrays.copyOf(valid, rnd.nextInt(valid.length + 1));
            byte[] noise = new byte[rnd.nextInt(300)];
            rnd.nextBytes(noise);
            if (round % 3 == 0 && noise.length > 0) {
                noise[0] = (byte) rnd.nextInt(8); // a plausible frame header
            }
            try (Raw raw = new Raw()) {
                raw.send(concat(prefix, noise));
                if (round % 2 == 0) {
                    raw.socket.shutdownOutput(); // and a half-close
                }
            } catch (IOException e) {
                // the master may close first: fine
            }
        }
        inbox.messages.clear();
        inbox.corrupt.clear();
        aRealWorkerStillTalks("after_fuzz");
        assertThat(master.isClosed()).isFalse();
    }

    static long usedHeap() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
