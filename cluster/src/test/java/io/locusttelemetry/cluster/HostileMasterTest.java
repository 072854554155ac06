package io.locusttelemetry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.protocol.Ack;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.MessageCodec;
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.protocol.Spawn;
import io.locusttelemetry.testing.Nginx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker under a hostile master: 10,000 frames of every type a master sends (nested up to
 * 200,000 deep, truncated, with lying headers, or well-formed with hostile values) do not stop
 * it; it then runs the users of a real spawn and reports exactly what nginx served.
 */
class HostileMasterTest {
    private static final List<String> TYPES = List.of("ack", "spawn", "stop", "quit", "reconnect", "heartbeat",
            "spawning_complete", "update_user_class", "locustfile", "set_metadata", "no_such_type");

    @Test
    void aWorkerSurvivesGarbageAndStillDoesItsJob(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); Cluster cluster = new Cluster(); RawPeer master = RawPeer.master()) {
            Environment env = Cluster.environment(null, ClusterUser.class);
            WorkerRunner worker = cluster.worker(env, master.port());
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                master.poll(50);
                return master.count("client_ready") > 0;
            });
            String id = worker.nodeId();
            master.send(new Ack(0).toMessage(id));
            await().atMost(Duration.ofSeconds(5)).until(worker::isConnected);

            HostileFrames frames = new HostileFrames(3, id, false);
            Random rnd = new Random(4);
            int sent = 0;
            for (String type : TYPES) {
                boolean changesState = type.equals("spawn") || type.equals("stop") || type.equals("quit") || type.equals("reconnect")
                        || type.equals("ack");
                for (int i = 0; i < 10_000 / TYPES.size() + 1; i++) {
                    byte[] frame = frames.next(type);
                    if (changesState && isWellFormed(frame)) {
                        // a well-formed spawn, stop, quit or reconnect is an order the worker follows: send it cut short instead
                        frame = Arrays.copyOf(frame, Math.max(1, frame.length - 1 - rnd.nextInt(3)));
                    }
                    master.send(frame);
                    sent++;
                }
                master.poll(5);
            }
            assertThat(sent).isGreaterThanOrEqualTo(10_000);
            // still alive: it heartbeats and reports, and obeys a real spawn
            long heartbeats = master.count("heartbeat");
            master.send(new Spawn(System.currentTimeMillis() / 1000.0, Map.of("ClusterUser", 2L), nginx.url(), 2.0, Map.of())
                    .toMessage(id));
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                master.poll(50);
                return master.count("spawning_complete") > 0 && master.count("heartbeat") > heartbeats + 2;
            });
            assertThat(worker.userCount()).isEqualTo(2);
            master.poll(2000);
            master.send(new Quit().toMessage(id));
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                master.poll(50);
                return master.count("quit") > 0;
            });
            assertThat(worker.quitted().get()).isEqualTo(WorkerRunner.ExitReason.MASTER_QUIT);
            long reported = 0;
            for (Message m : master.received) {
                if (m.type().equals("stats")) {
                    reported += ((Number) ((Map<?, ?>) ((Map<?, ?>) m.data()).get("stats_total")).get("num_requests")).longValue();
                }
            }
            System.out.printf("%d hostile frames; the worker reported %d requests, nginx served %d%n", sent, reported, nginx.loggedRequests());
            assertThat(reported).isGreaterThan(10);
            assertThat(nginx.loggedRequests()).isEqualTo(reported);
        }
    }

    private static boolean isWellFormed(byte[] frame) {
        try {
            MessageCodec.decode(frame);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
