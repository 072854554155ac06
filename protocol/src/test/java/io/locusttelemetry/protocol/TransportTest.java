package io.locusttelemetry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

@Timeout(60)
class TransportTest {

    record FromWorker(Identity sender, Message message, LocustMessage typed) {
    }

    record Corrupt(Identity sender, CorruptMessageException error) {
    }

    static final class MasterInbox implements MasterServer.Listener {
        final BlockingQueue<FromWorker> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<Corrupt> corrupt = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(Identity sender, Message message, LocustMessage typed) {
            messages.add(new FromWorker(sender, message, typed));
        }

        @Override
        public void onCorruptFrame(Identity sender, CorruptMessageException error) {
            corrupt.add(new Corrupt(sender, error));
        }
    }

    static final class WorkerInbox implements WorkerConnection.Listener {
        final BlockingQueue<LocustMessage> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<Message> raw = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(Message message, LocustMessage typed) {
            raw.add(message);
            messages.add(typed);
        }
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private MasterInbox masterInbox;
    private MasterServer master;

    @BeforeEach
    void startMaster() {
        masterInbox = new MasterInbox();
        master = MasterServer.bind("127.0.0.1", 0, masterInbox);
        toClose.add(master);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private WorkerConnection worker(String nodeId, WorkerConnection.Listener inbox) {
        WorkerConnection w = WorkerConnection.connect("127.0.0.1", master.port(), nodeId, inbox);
        toClose.add(w);
        return w;
    }

    private static <T> T poll(BlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(10, TimeUnit.SECONDS);
        assertThat(t).as("message within 10 s").isNotNull();
        return t;
    }

    @Test
    void messagesFlowBothWaysAndAreRoutedByIdentity() throws Exception {
        assertThat(master.port()).isPositive();
        WorkerInbox in1 = new WorkerInbox();
        WorkerInbox in2 = new WorkerInbox();
        WorkerConnection w1 = worker("host_" + "1".repeat(32), in1);
        WorkerConnection w2 = worker(NodeId.generate("host"), in2);

        w1.send(ClientReady.of("2.12.1"));
        w2.send(ClientReady.foreign());
        List<FromWorker> ready = List.of(poll(masterInbox.messages), poll(masterInbox.messages));
        for (FromWorker f : ready) {
            assertThat(f.typed()).isInstanceOf(ClientReady.class);
            assertThat(f.sender().text()).isEqualTo(f.message().nodeId());
        }
        assertThat(ready).extracting(f -> f.sender().text()).containsExactlyInAnyOrder(w1.nodeId(), w2.nodeId());

        master.send(w1.nodeId(), new Ack(0));
        master.send(w2.nodeId(), new Ack(1));
        assertThat(poll(in1.messages)).isEqualTo(new Ack(0));
        assertThat(poll(in2.messages)).isEqualTo(new Ack(1));
        assertThat(poll(in1.raw).nodeId()).isEqualTo(w1.nodeId());

        // A message for an identity that is not connected vanishes; later traffic is unaffected.
        assertThat(master.send("nobody_here", new Quit())).isTrue();
        master.send(w2.nodeId(), new Stop());
        assertThat(poll(in2.messages)).isEqualTo(new Stop());
        assertThat(in1.messages.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void orderIsKeptInBothDirections() throws Exception {
        WorkerInbox in = new WorkerInbox();
        WorkerConnection w = worker(NodeId.generate("order"), in);
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            w.send(new Heartbeat(NodeState.RUNNING, 0.0, i));
        }
        for (int i = 0; i < n; i++) {
            FromWorker f = poll(masterInbox.messages);
            assertThat(((Heartbeat) f.typed()).currentMemoryUsage()).isEqualTo(i);
        }
        for (int i = 0; i < n; i++) {
            master.send(w.nodeId(), new Ack(i));
        }
        for (int i = 0; i < n; i++) {
            assertThat(poll(in.messages)).isEqualTo(new Ack(i));
        }
    }

    @Test
    void sendsFromManyThreadsAllArrive() throws Exception {
        WorkerConnection w = worker(NodeId.generate("threads"), new WorkerInbox());
        int threads = 4;
        int each = 250;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    w.send(new Heartbeat(NodeState.RUNNING, 0.0, base + i));
                }
            });
            th.start();
            senders.add(th);
        }
        go.countDown();
        for (Thread th : senders) {
            th.join();
        }
        boolean[] seen = new boolean[threads * each];
        long[] lastPerThread = new long[threads];
        Arrays.fill(lastPerThread, -1);
        for (int i = 0; i < threads * each; i++) {
            long v = ((Heartbeat) poll(masterInbox.messages).typed()).currentMemoryUsage();
            seen[(int) v] = true;
            int t = (int) v / each;
            assertThat(v).as("per-thread order").isGreaterThan(lastPerThread[t]);
            lastPerThread[t] = v;
        }
        for (boolean b : seen) {
            assertThat(b).isTrue();
        }
    }

    @Test
    void roundTripLatencyIsLow() throws Exception {
        WorkerInbox in = new WorkerInbox();
        WorkerConnection w = worker(NodeId.generate("latency"), in);
        // Warm up the connection.
        w.send(ClientReady.of("2.12.1"));
        poll(masterInbox.messages);
        int rounds = 50;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            w.send(new Heartbeat(NodeState.READY, 0.0, i));
            FromWorker f = poll(masterInbox.messages);
            master.send(f.message().nodeId(), new HeartbeatReply());
            assertThat(poll(in.messages)).isEqualTo(new HeartbeatReply());
        }
        long avgMicros = (System.nanoTime() - start) / 1000 / rounds;
        // A poll-timeout based design would need tens of milliseconds per hop.
        assertThat(avgMicros).as("average round trip in microseconds").isLessThan(25_000);
    }

    @Test
    void corruptFramesAreReportedWithTheRealSender() throws Exception {
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket raw = ctx.createSocket(SocketType.DEALER);
            // raw test sockets get the same guard against JeroMQ's rare stalled handshake as real workers
            io.locusttelemetry.protocol.internal.Zmq.configureConnecting(raw);
            raw.setIdentity("raw_dealer_1".getBytes());
            raw.setReceiveTimeOut(10_000);
            raw.connect("tcp://127.0.0.1:" + master.port());
            // A valid worker talks first, so a master keyed on "last sender" would pick the wrong one.
            WorkerConnection good = worker(NodeId.generate("good"), new WorkerInbox());
            good.send(ClientReady.of("2.12.1"));
            assertThat(poll(masterInbox.messages).sender().text()).isEqualTo(good.nodeId());

            byte[] valid = MessageCodec.encode(new Heartbeat("ready", 0.0, 1).toMessage("raw_dealer_1"));
            byte[] trailing = Arrays.copyOf(valid, valid.length + 2);
            raw.send(trailing, 0);
            Corrupt c = poll(masterInbox.corrupt);
            assertThat(c.sender()).isEqualTo(Identity.of("raw_dealer_1"));
            assertThat(c.error().getMessage()).contains("trailing");

            master.send(c.sender(), new Reconnect().toMessage(c.sender().text()));
            byte[] reply = raw.recv(0);
            assertThat(reply).isNotNull();
            assertThat(LocustMessage.fromMaster(MessageCodec.decode(reply))).isEqualTo(new Reconnect());

            // Multipart frames are not Locust messages either.
            raw.send(valid, ZMQ.SNDMORE);
            raw.send(valid, 0);
            assertThat(poll(masterInbox.corrupt).error().getMessage()).contains("body frame");

            // An identity that is not UTF-8 is corrupt too, yet can still be answered.
            ZMQ.Socket binary = ctx.createSocket(SocketType.DEALER);
            io.locusttelemetry.protocol.internal.Zmq.configureConnecting(binary);
            byte[] badId = {(byte) 0xff, (byte) 0xfe, 0x41};
            binary.setIdentity(badId);
            binary.setReceiveTimeOut(10_000);
            binary.connect("tcp://127.0.0.1:" + master.port());
            binary.send(valid, 0);
            Corrupt b = poll(masterInbox.corrupt);
            assertThat(b.sender().bytes()).containsExactly(badId);
            assertThat(b.sender().isText()).isFalse();
            master.send(b.sender(), new Reconnect().toMessage("?"));
            assertThat(MessageCodec.decode(binary.recv(0)).type()).isEqualTo("reconnect");
            assertThat(masterInbox.messages).isEmpty();
        }
    }

    @Test
    void reconnectKeepsWorking() throws Exception {
        WorkerInbox in = new WorkerInbox();
        WorkerConnection w = worker(NodeId.generate("reconnect"), in);
        w.send(ClientReady.of("2.12.1"));
        assertThat(poll(masterInbox.messages).sender().text()).isEqualTo(w.nodeId());

        for (int round = 0; round < 3; round++) {
            w.reconnect();
            w.send(new Heartbeat("ready", 0.0, round));
            FromWorker f = poll(masterInbox.messages);
            assertThat(f.sender().text()).isEqualTo(w.nodeId());
            assertThat(((Heartbeat) f.typed()).currentMemoryUsage()).isEqualTo(round);
            // The route to the same identity now goes over the new connection.
            long marker = 100 + round;
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                master.send(w.nodeId(), new Ack(marker));
                LocustMessage m = in.messages.poll(100, TimeUnit.MILLISECONDS);
                return new Ack(marker).equals(m);
            });
            in.messages.clear();
        }
    }

    @Test
    void reconnectRequestedFromTheListenerOnMastersReconnect() throws Exception {
        WorkerInbox in = new WorkerInbox();
        WorkerConnection[] holder = new WorkerConnection[1];
        WorkerConnection w = worker(NodeId.generate("auto"), new WorkerConnection.Listener() {
            @Override
            public void onMessage(Message message, LocustMessage typed) {
                if (typed instanceof Reconnect) {
                    holder[0].reconnect();
                }
                in.onMessage(message, typed);
            }
        });
        holder[0] = w;
        w.send(ClientReady.of("2.12.1"));
        poll(masterInbox.messages);
        master.send(w.nodeId(), new Reconnect());
        assertThat(poll(in.messages)).isEqualTo(new Reconnect());
        w.send(new Heartbeat("ready", 0.0, 42));
        assertThat(((Heartbeat) poll(masterInbox.messages).typed()).currentMemoryUsage()).isEqualTo(42);
    }

    @Test
    void closeDeliversQueuedMessages() throws Exception {
        WorkerConnection w = WorkerConnection.connect("127.0.0.1", master.port(), NodeId.generate("closing"),
                new WorkerInbox());
        w.send(ClientReady.of("2.12.1"));
        poll(masterInbox.messages);
        w.send(new Quit());
        w.close();
        assertThat(poll(masterInbox.messages).typed()).isEqualTo(new Quit());
        assertThat(w.isClosed()).isTrue();
        assertThat(w.send(new Quit())).isFalse();
        w.close();
    }

    @Test
    void bindingAUsedPortFailsClearly() {
        int port = master.port();
        assertThatThrownBy(() -> MasterServer.bind("127.0.0.1", port, new MasterInbox()))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("tcp://127.0.0.1:" + port)
                .hasMessageContaining("in use");
    }

    @Test
    void socketThreadsAreNamedDaemonsAndStopOnClose() throws Exception {
        WorkerConnection w = worker(NodeId.generate("threads"), new WorkerInbox());
        w.send(ClientReady.of("2.12.1"));
        poll(masterInbox.messages);
        List<Thread> ours = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("locust-")).toList();
        assertThat(ours).extracting(Thread::getName)
                .anyMatch(n -> n.equals("locust-worker-io-" + w.nodeId()))
                .anyMatch(n -> n.equals("locust-master-io-" + master.port()))
                .anyMatch(n -> n.startsWith("locust-zmq-"));
        assertThat(ours).allMatch(Thread::isDaemon);
        w.close();
        master.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("locust-worker-io-" + w.nodeId())
                        || t.getName().equals("locust-master-io-" + master.port())));
    }

    @Test
    void socketThreadsComeFromTheGivenFactoryWithTheTransportsNames() throws Exception {
        List<Thread> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.ThreadFactory factory = task -> {
            Thread t = new Thread(task, "unnamed");
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        MasterInbox inbox = new MasterInbox();
        MasterServer own = MasterServer.bind("127.0.0.1", 0, inbox, factory);
        toClose.add(own);
        WorkerConnection w = WorkerConnection.connect("127.0.0.1", own.port(), NodeId.generate("factory"), new WorkerInbox(), factory);
        toClose.add(w);
        w.send(ClientReady.of("2.12.1"));
        poll(inbox.messages);
        assertThat(made).extracting(Thread::getName)
                .contains("locust-master-io-" + own.port(), "locust-worker-io-" + w.nodeId())
                .anyMatch(n -> n.startsWith("locust-zmq-"))
                .noneMatch(n -> n.equals("unnamed"));
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> WorkerConnection.connect("127.0.0.1", master.port(), "", new WorkerInbox()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerConnection.connect("127.0.0.1", 0, "x_1", new WorkerInbox()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
