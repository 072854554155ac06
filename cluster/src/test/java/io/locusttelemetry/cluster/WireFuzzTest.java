package io.locusttelemetry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.protocol.ClientReady;
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.testing.Nginx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 generated frames of every message type a worker sends (valid shapes with hostile values,
 * truncations, containers nested up to 200,000 deep, lying headers), from a node that never
 * announced itself and from one the master admitted, at a live master over its real socket; then
 * a real test (with more garbage while it runs) whose totals equal nginx's access log.
 */
class WireFuzzTest {
    private static final int PER_TYPE = 10_000;

    @Test
    void aMasterUnderFuzzingCountsExactlyWhatNginxServed(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); Cluster cluster = new Cluster()) {
            Environment env = Cluster.environment(nginx.url(), ClusterUser.class);
            env.stopTimeout(2);
            MasterRunner master = cluster.master(env);
            List<Object> acks = new CopyOnWriteArrayList<>();
            master.registerMessage("metadata_ack", (e, m) -> acks.add(m.data()));
            WorkerRunner w0 = cluster.worker(Cluster.environment(null, ClusterUser.class), master.port());
            WorkerRunner w1 = cluster.worker(Cluster.environment(null, ClusterUser.class), master.port());
            assertThat(master.awaitWorkers(2, Duration.ofSeconds(10))).isTrue();

            long sent = 0;
            long start = System.nanoTime();
            try (RawPeer stranger = RawPeer.worker("fuzz-stranger", master.port());
                 RawPeer admitted = RawPeer.worker("fuzz-admitted", master.port())) {
                admitted.send(ClientReady.foreign().toMessage("fuzz-admitted"));
                await().atMost(Duration.ofSeconds(5)).until(() -> master.workers().size() == 3);
                HostileFrames fromStranger = new HostileFrames(1, "fuzz-stranger", false);
                HostileFrames fromAdmitted = new HostileFrames(2, "fuzz-admitted", true);
                for (String type : HostileFrames.TYPES) {
                    boolean both = HostileFrames.safeForAdmitted(type);
                    for (int i = 0; i < PER_TYPE; i++) {
                        if (both && i % 2 == 1) {
                            admitted.send(fromAdmitted.next(type));
                        } else {
                            stranger.send(fromStranger.next(type));
                        }
                        sent++;
                        if (i % 2000 == 0) {
                            stranger.poll(1);
                            admitted.poll(1);
                        }
                    }
                }
                // each peer's frames are handled in order: once its announcement is, all of its garbage was
                admitted.send(new Quit().toMessage("fuzz-admitted"));
                stranger.send(ClientReady.foreign().toMessage("fuzz-stranger"));
                await().atMost(Duration.ofSeconds(60)).until(() -> master.workers().stream().anyMatch(w -> w.id().equals("fuzz-stranger")));
                stranger.send(new Quit().toMessage("fuzz-stranger"));
                await().atMost(Duration.ofSeconds(10)).until(() -> master.workers().size() == 2);
                assertThat(master.malformedFrameCount()).isGreaterThan(sent / 2);
                assertThat(master.droppedMessageCount()).isGreaterThan(sent / 10);
                System.out.printf("%d frames in %.1f s: %d malformed, %d dropped%n", sent, (System.nanoTime() - start) / 1e9,
                        master.malformedFrameCount(), master.droppedMessageCount());
                assertThat(master.workers()).extracting(WorkerInfo::id).containsExactlyInAnyOrder(w0.nodeId(), w1.nodeId());
                assertThat(master.workers()).extracting(WorkerInfo::state).containsOnly("ready");

                master.start(4, 4);
                await().atMost(Duration.ofSeconds(10)).until(() -> master.userCount() == 4);
                for (String type : HostileFrames.TYPES) {
                    for (int i = 0; i < PER_TYPE / 10; i++) {
                        stranger.send(fromStranger.next(type));
                    }
                }
                Thread.sleep(3000);
                assertThat(master.workers()).extracting(WorkerInfo::state).containsOnly("running");
                master.quit();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> w0.quitted().isDone() && w1.quitted().isDone());
            assertThat(w0.quitted().get()).isEqualTo(WorkerRunner.ExitReason.MASTER_QUIT);
            long total = Cluster.total(env);
            System.out.printf("counted %d, nginx %d%n", total, nginx.loggedRequests());
            assertThat(total).isGreaterThan(50);
            assertThat(nginx.loggedRequests()).isEqualTo(total);
            assertThat(env.stats().snapshot().entries()).extracting(EntrySnapshot::name)
                    .containsExactlyInAnyOrder("/java/" + w0.sourceId(), "/java/" + w1.sourceId());
            assertThat(env.stats().snapshot().errors()).isEmpty();
        }
    }
}
