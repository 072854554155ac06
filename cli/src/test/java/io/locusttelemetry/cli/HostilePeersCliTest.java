package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.protocol.Ack;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.MessageCodec;
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.protocol.Spawn;
import io.locusttelemetry.testing.NestedFrames;
import io.locusttelemetry.testing.Nginx;
import io.locusttelemetry.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Hostile peers against the real command, whose JIT is the one users get (a master keeps its code
 * in C1, where frames are larger and a recursive decoder overflowed within a few hundred levels):
 * containers nested 200,000 deep at a master and at a worker, which both keep serving; the lines
 * they cause are rate-limited.
 */
@Tag(Timing.TAG)
class HostilePeersCliTest {
    static final List<String> WORKER_TYPES = List.of("client_ready", "heartbeat", "stats", "spawning", "spawning_complete",
            "client_stopped", "exception", "logs", "metadata_ack", "no_such_type");

    static byte[] nested(String type, int depth, boolean maps, String nodeId) {
        return NestedFrames.of(type, depth, maps, nodeId);
    }

    @Test
    void deeplyNestedFramesDoNotStopTheMasterCommand(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); ZContext zmq = new ZContext()) {
            int port = Ports.free();
            String csv = dir.resolve("run").toString();
            try (JlocustProcess master = JlocustProcess.start(dir, "master", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--master",
                    "--master-bind-host", "127.0.0.1", "--master-bind-port", String.valueOf(port), "--expect-workers", "2",
                    "-u", "4", "-r", "4", "-t", "6s", "--stop-timeout", "2", "-H", nginx.url(), "--csv", csv, "--only-summary")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> master.output().contains("Master listening"));
                ZMQ.Socket hostile = zmq.createSocket(SocketType.DEALER);
                hostile.setIdentity("hostile".getBytes(StandardCharsets.UTF_8));
                hostile.setSndHWM(0);
                hostile.connect("tcp://127.0.0.1:" + port);
                Random rnd = new Random(5);
                // warm the master's code up with garbage first, then nest: each frame is about 200 KB
                for (int i = 0; i < 20_000; i++) {
                    byte[] garbage = new byte[1 + rnd.nextInt(64)];
                    rnd.nextBytes(garbage);
                    garbage[0] = (byte) 0x93;
                    hostile.send(garbage, 0);
                }
                for (String type : WORKER_TYPES) {
                    for (int i = 0; i < 3; i++) {
                        hostile.send(nested(type, i == 2 ? 300 : 200_000 / (i == 0 ? 1 : 3), i == 1, "hostile"), 0);
                    }
                }
                // the flood has reached the master before its workers come (on a busy machine ZeroMQ
                // may take a while to connect the hostile socket)
                await().atMost(Duration.ofSeconds(60)).until(() -> master.output().contains("Malformed message from hostile")
                        || !master.process().isAlive());
                assertThat(master.process().isAlive()).as(master.output()).isTrue();
                try (JlocustProcess w0 = JlocustProcess.start(dir, "worker-a", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--worker",
                        "--master-port", String.valueOf(port));
                     JlocustProcess w1 = JlocustProcess.start(dir, "worker-b", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--worker",
                        "--master-port", String.valueOf(port))) {
                    assertThat(master.waitFor(90)).as(master.output()).isZero();
                    assertThat(w0.waitFor(20)).as(w0.output()).isZero();
                    assertThat(w1.waitFor(20)).as(w1.output()).isZero();
                }
                String log = master.output();
                assertThat(log).doesNotContain("StackOverflowError").doesNotContain("socket failed");
                long total = DistributedCliTest.statsRows(Path.of(csv + "_stats.csv")).get("Aggregated");
                System.out.printf("master after 20,030 hostile frames: CSV total %d, nginx %d; %d 'Malformed' lines%n", total,
                        nginx.loggedRequests(), count(log, "Malformed message from hostile"));
                assertThat(total).isGreaterThan(50);
                assertThat(nginx.loggedRequests()).isEqualTo(total);
                // 20,030 malformed frames in a few seconds: five lines, then one every 5 s saying how many were held back
                assertThat(count(log, "Malformed message from hostile")).as(log).isBetween(5L, 9L);
                assertThat(log).containsPattern("\\(\\d{4,} more like it held back");
            }
        }
    }

    @Test
    void deeplyNestedFramesFromAMasterDoNotStopTheWorkerCommand(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); ZContext zmq = new ZContext()) {
            ZMQ.Socket fake = zmq.createSocket(SocketType.ROUTER);
            fake.setSndHWM(0);
            int port = fake.bindToRandomPort("tcp://127.0.0.1");
            // the worker's JIT as the master's (C1), where a recursive decoder overflowed soonest
            try (JlocustProcess worker = JlocustProcess.start(dir, "worker", Map.of(), List.of("-XX:TieredStopAtLevel=1"), "-f",
                    DistributedCliTest.LOCUSTFILE, "--worker", "--master-port", String.valueOf(port))) {
                fake.setReceiveTimeOut(60_000);
                byte[] identity = fake.recv(0);
                MessageCodec.decode(fake.recv(0));
                String id = new String(identity, StandardCharsets.UTF_8);
                send(fake, identity, MessageCodec.encode(new Ack(0).toMessage(id)));
                Random rnd = new Random(6);
                for (int i = 0; i < 10_000; i++) {
                    byte[] garbage = new byte[1 + rnd.nextInt(64)];
                    rnd.nextBytes(garbage);
                    garbage[0] = (byte) 0x93;
                    send(fake, identity, garbage);
                }
                for (String type : List.of("spawn", "heartbeat", "set_metadata", "ack", "no_such_type")) {
                    for (int i = 0; i < 3; i++) {
                        send(fake, identity, nested(type, i == 2 ? 300 : 200_000, i == 1, id));
                    }
                }
                send(fake, identity, MessageCodec.encode(new Spawn(System.currentTimeMillis() / 1000.0, Map.of("ClusterUser", 2L),
                        nginx.url(), 2.0, Map.of()).toMessage(id)));
                long reported = 0;
                boolean complete = false;
                long quitAt = System.nanoTime() + 8_000_000_000L;
                boolean quitSent = false;
                fake.setReceiveTimeOut(200);
                while (true) {
                    if (!quitSent && System.nanoTime() > quitAt) {
                        send(fake, identity, MessageCodec.encode(new Quit().toMessage(id)));
                        quitSent = true;
                    }
                    byte[] from = fake.recv(0);
                    if (from == null) {
                        assertThat(worker.process().isAlive() || quitSent).as(worker.output()).isTrue();
                        continue;
                    }
                    Message m = MessageCodec.decode(fake.recv(0));
                    complete |= m.type().equals("spawning_complete");
                    if (m.type().equals("stats")) {
                        reported += ((Number) ((Map<?, ?>) ((Map<?, ?>) m.data()).get("stats_total")).get("num_requests")).longValue();
                    }
                    if (m.type().equals("quit")) {
                        break;
                    }
                }
                assertThat(worker.waitFor(20)).as(worker.output()).isZero();
                String log = worker.output();
                System.out.printf("worker after 10,015 hostile frames: reported %d, nginx %d; %d 'corrupt' lines%n", reported,
                        nginx.loggedRequests(), count(log, "Discarded a corrupt message"));
                assertThat(complete).isTrue();
                assertThat(reported).isGreaterThan(20);
                assertThat(nginx.loggedRequests()).isEqualTo(reported);
                assertThat(log).doesNotContain("StackOverflowError");
                assertThat(count(log, "Discarded a corrupt message")).isBetween(5L, 9L);
            }
        }
    }

    private static void send(ZMQ.Socket router, byte[] identity, byte[] body) {
        router.send(identity, ZMQ.SNDMORE);
        router.send(body, 0);
    }

    static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
