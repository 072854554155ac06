package io.locusttelemetry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.protocol.ClientReady;
import io.locusttelemetry.protocol.Heartbeat;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.protocol.SerializedStatsEntry;
import io.locusttelemetry.protocol.Stats;
import io.locusttelemetry.testing.Nginx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Well-formed messages a master must not use: statistics from a node that never announced itself
 * (999,500 requests it never made), and impossible values from one that did. The totals still
 * equal what nginx served; the dropped messages are counted; the stranger is asked to reconnect,
 * then to quit.
 */
class UntrustedPeersTest {

    /** A consistent report of {@code requests} requests of 5 ms, as a worker would send it. */
    static Stats report(String name, long requests, long failures) {
        double now = System.currentTimeMillis() / 1000.0;
        SerializedStatsEntry e = new SerializedStatsEntry(name, "GET", now, now - 3, requests, 0, failures, 5.0 * requests, 5.0,
                5.0, 100 * requests, Map.of(5L, requests), Map.of((long) now, requests), failures > 0 ? Map.of((long) now, failures) : Map.of());
        SerializedStatsEntry total = new SerializedStatsEntry("Aggregated", "", now, now - 3, requests, 0, failures, 5.0 * requests, 5.0,
                5.0, 100 * requests, Map.of(5L, requests), Map.of((long) now, requests), failures > 0 ? Map.of((long) now, failures) : Map.of());
        return Stats.of(List.of(e), total, Map.of(), Map.of("ClusterUser", 1L));
    }

    @Test
    void strangersAndImpossibleReportsAreNotMerged(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); Cluster cluster = new Cluster()) {
            Environment env = Cluster.environment(nginx.url(), ClusterUser.class);
            env.stopTimeout(2);
            MasterRunner master = cluster.master(env);
            WorkerRunner worker = cluster.worker(Cluster.environment(null, ClusterUser.class), master.port());
            assertThat(master.awaitWorkers(1, Duration.ofSeconds(10))).isTrue();
            try (RawPeer stranger = RawPeer.worker("stranger", master.port()); RawPeer liar = RawPeer.worker("liar", master.port())) {
                // a node that announced itself, then reports what cannot be
                liar.send(ClientReady.foreign().toMessage("liar"));
                await().atMost(Duration.ofSeconds(5)).until(() -> master.workers().size() == 2);
                liar.send(new Heartbeat("running", Double.NaN, 1).toMessage("liar"));
                liar.send(report("/liar", -5, 0).toMessage("liar"));
                liar.send(report("/liar", 10, 11).toMessage("liar"));
                Map<String, Object> noHistogram = new LinkedHashMap<>(castMap((Map<?, ?>) report("/liar", 1000, 0).toMessage("liar").data()));
                Map<String, Object> total = new LinkedHashMap<>(castMap((Map<?, ?>) noHistogram.get("stats_total")));
                total.put("response_times", Map.of());
                noHistogram.put("stats_total", total);
                liar.send(new Message("stats", noHistogram, "liar"));
                liar.send(new Quit().toMessage("liar"));
                await().atMost(Duration.ofSeconds(5)).until(() -> master.workers().size() == 1);
                long droppedFromLiar = master.droppedMessageCount();
                assertThat(droppedFromLiar).isEqualTo(4);

                master.start(2, 2);
                long start = System.nanoTime();
                // the stranger never announced itself: its 999,500 requests must not count
                stranger.send(report("/stranger", 999_500, 0).toMessage("stranger"));
                // the quit is due 10 s after its first frame; a loaded machine may answer a little later
                while (System.nanoTime() - start < 12_000_000_000L
                        || (stranger.count("quit") == 0 && System.nanoTime() - start < 25_000_000_000L)) {
                    stranger.send(new Heartbeat("running", 1.0, 1).toMessage("stranger"));
                    stranger.poll(500);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                master.quit();
                await().atMost(Duration.ofSeconds(10)).until(() -> worker.quitted().isDone());

                assertThat(stranger.count("reconnect")).as("asked to announce itself").isPositive();
                assertThat(stranger.count("quit")).as("asked to go once it did not").isPositive();
                Message firstQuit = stranger.received.stream().filter(m -> m.type().equals("quit")).findFirst().orElseThrow();
                assertThat(stranger.received.indexOf(firstQuit)).isGreaterThan(
                        stranger.received.indexOf(stranger.received.stream().filter(m -> m.type().equals("reconnect")).findFirst().orElseThrow()));
                assertThat(stranger.received.size()).as("at most one answer a second").isLessThanOrEqualTo((int) seconds + 2);
                assertThat(master.droppedMessageCount()).isGreaterThanOrEqualTo(droppedFromLiar + 20);
            }
            long total = Cluster.total(env);
            System.out.printf("counted %d, nginx %d, dropped %d%n", total, nginx.loggedRequests(), master.droppedMessageCount());
            assertThat(total).isGreaterThan(20);
            assertThat(nginx.loggedRequests()).isEqualTo(total);
            assertThat(env.stats().snapshot().entries()).extracting(EntrySnapshot::name).containsExactly("/java/" + worker.sourceId());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
