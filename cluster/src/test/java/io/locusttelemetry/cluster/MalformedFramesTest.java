package io.locusttelemetry.cluster;

import io.locusttelemetry.testing.Nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.protocol.Heartbeat;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.MessageCodec;
import io.locusttelemetry.protocol.SerializedStatsEntry;
import io.locusttelemetry.protocol.Stats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** 10,000 random and truncated frames at the master's port while real workers run: the master keeps serving them. */
class MalformedFramesTest {

    @Test
    void masterKeepsServingItsWorkersUnderGarbage(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); Cluster cluster = new Cluster(); ZContext zmq = new ZContext()) {
            Environment env = Cluster.environment(nginx.url(), ClusterUser.class);
            env.stopTimeout(2);
            MasterRunner master = cluster.master(env);
            WorkerRunner w0 = cluster.worker(Cluster.environment(null, ClusterUser.class), master.port());
            WorkerRunner w1 = cluster.worker(Cluster.environment(null, ClusterUser.class), master.port());
            assertThat(master.awaitWorkers(2, Duration.ofSeconds(10))).isTrue();
            master.start(4, 4);
            await().atMost(Duration.ofSeconds(10)).until(() -> master.userCount() == 4);

            ZMQ.Socket fuzz = zmq.createSocket(SocketType.DEALER);
            io.locusttelemetry.protocol.internal.Zmq.configureConnecting(fuzz);
            fuzz.setIdentity("fuzzer".getBytes(StandardCharsets.UTF_8));
            fuzz.setSndHWM(0);
            fuzz.connect("tcp://127.0.0.1:" + master.port());
            ZMQ.Socket badIdentity = zmq.createSocket(SocketType.DEALER);
            io.locusttelemetry.protocol.internal.Zmq.configureConnecting(badIdentity);
            badIdentity.setIdentity(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});
            badIdentity.connect("tcp://127.0.0.1:" + master.port());

            Random random = new Random(42);
            List<byte[]> valid = List.of(
                    MessageCodec.encode(new Heartbeat("running", 1.0, 1000).toMessage("fuzzer")),
                    MessageCodec.encode(Stats.of(List.of(), SerializedStatsEntry.empty("Aggregated", "", 1.0), Map.of(), Map.of()).toMessage("fuzzer")),
                    MessageCodec.encode(new Message("client_ready", "2.12.1", "fuzzer")));
            // well-formed msgpack with unexpected contents
            List<byte[]> unexpected = List.of(
                    MessageCodec.encode(new Message("heartbeat", "not a map", "fuzzer")),
                    MessageCodec.encode(new Message("stats", List.of(1L, 2L), "fuzzer")),
                    MessageCodec.encode(new Message("spawning_complete", Map.of(), "fuzzer")),
                    MessageCodec.encode(new Message("exception", Map.of("msg", 1L), "fuzzer")),
                    MessageCodec.encode(new Message("client_ready", 7L, "fuzzer")),
                    MessageCodec.encode(new Message("spawning", null, "fuzzer")),
                    MessageCodec.encode(new Message("quit", null, "fuzzer")));
            int sent = 0;
            for (int i = 0; i < 10_000; i++) {
                byte[] frame;
                int kind = i % 4;
                if (kind == 0) {
                    frame = new byte[random.nextInt(64)];
                    random.nextBytes(frame);
                } else if (kind == 1) {
                    byte[] v = valid.get(random.nextInt(valid.size()));
                    frame = Arrays.copyOf(v, random.nextInt(v.length));
                } else if (kind == 2) {
                    byte[] v = valid.get(random.nextInt(valid.size()));
                    frame = Arrays.copyOf(v, v.length + 1 + random.nextInt(4));
                } else {
                    frame = unexpected.get(random.nextInt(unexpected.size()));
                }
                if (i % 500 == 0) {
                    fuzz.sendMore(new byte[] {1});
                }
                fuzz.send(frame);
                if (i % 1000 == 0) {
                    badIdentity.send(valid.get(0));
                }
                sent++;
            }
            assertThat(sent).isEqualTo(10_000);
            // garbage is malformed; well-formed messages from the fuzzer, which never announced itself, are dropped
            await().atMost(Duration.ofSeconds(20)).until(() -> master.malformedFrameCount() + master.droppedMessageCount() >= 9_500);
            assertThat(master.droppedMessageCount()).isGreaterThanOrEqualTo(1_500);
            // the real workers were never marked missing and still run their users
            Thread.sleep(3000);
            assertThat(master.workers()).extracting(WorkerInfo::state).containsOnly("running");
            assertThat(master.userCount()).isEqualTo(4);
            master.quit();
            await().atMost(Duration.ofSeconds(10)).until(() -> w0.quitted().isDone() && w1.quitted().isDone());
            long total = Cluster.total(env);
            assertThat(total).isGreaterThan(50);
            assertThat(nginx.loggedRequests()).isEqualTo(total);
            Map<String, Long> byName = new HashMap<>();
            env.stats().snapshot().entries().forEach(e -> byName.put(e.name(), e.numRequests()));
            assertThat(byName).containsOnlyKeys("/java/worker-0", "/java/worker-1");
        }
    }
}
