package io.locusttelemetry.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.cluster.WorkerInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerRegistryTest {

    private static void join(WorkerRegistry registry, String id, Object version) {
        registry.register(id, registry.indexFor(id), version);
    }

    @Test
    void indexesStayWithTheirWorkers() {
        WorkerRegistry registry = new WorkerRegistry();
        join(registry, "a", -1L);
        join(registry, "b", "2.12.1");
        assertThat(registry.remove("a")).isTrue();
        join(registry, "c", "");
        join(registry, "a", -1L);
        assertThat(registry.workers()).extracting(WorkerInfo::id, WorkerInfo::index)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 0), org.assertj.core.groups.Tuple.tuple("b", 1),
                        org.assertj.core.groups.Tuple.tuple("c", 2));
        assertThat(registry.activeIds()).containsExactly("a", "b", "c");
    }

    @Test
    void silentWorkersGoMissingThenAreForgottenAndAHeartbeatHeals() {
        WorkerRegistry registry = new WorkerRegistry();
        join(registry, "quiet", -1L);
        join(registry, "chatty", -1L);
        registry.spawningComplete("quiet", Map.of("U", 3L));
        registry.spawningComplete("chatty", Map.of("U", 2L));
        for (int second = 1; second <= 4; second++) {
            registry.heartbeat("chatty", "running", 1.0, true, 100);
            assertThat(registry.sweep().changed()).as("second %d", second).isFalse();
        }
        registry.heartbeat("chatty", "running", 1.0, true, 100);
        assertThat(registry.sweep().changed()).isTrue();
        assertThat(registry.workers()).extracting(WorkerInfo::state).containsExactly("missing", "running");
        assertThat(registry.userCount()).isEqualTo(2);
        assertThat(registry.activeIds()).containsExactly("chatty");
        assertThat(registry.reported("quiet", Map.of("U", 9L))).isTrue();
        assertThat(registry.userCount()).as("a missing worker's reports do not count").isEqualTo(2);

        assertThat(registry.heartbeat("quiet", "running", 1.0, false, 0)).isEqualTo(WorkerRegistry.Beat.HEALED);
        assertThat(registry.heartbeat("quiet", "running", 1.0, false, 0)).isEqualTo(WorkerRegistry.Beat.ALIVE);
        assertThat(registry.heartbeat("nobody", "running", 1.0, false, 0)).isEqualTo(WorkerRegistry.Beat.UNKNOWN_WORKER);

        WorkerRegistry lonely = new WorkerRegistry();
        join(lonely, "gone", -1L);
        int sweeps = 0;
        while (!lonely.ids().isEmpty() && sweeps < 100) {
            lonely.sweep();
            sweeps++;
        }
        assertThat(sweeps).as("missing after about 5 s, forgotten about a minute later").isEqualTo(65);
    }

    @Test
    void secondsTheMasterWasBehindOnItsMessagesDoNotCountTowardsSilence() {
        WorkerRegistry registry = new WorkerRegistry();
        join(registry, "unread", -1L);
        registry.heartbeat("unread", "running", 1.0, true, 100);
        for (int second = 1; second <= 100; second++) {
            WorkerRegistry.Sweep sweep = registry.sweep(false);
            assertThat(sweep.changed()).as("second %d", second).isFalse();
            assertThat(sweep.replyTo()).as("second %d", second).isEqualTo(second == 1 ? List.of("unread") : List.of());
        }
        assertThat(registry.workers()).extracting(WorkerInfo::state).containsExactly("running");
        assertThat(registry.activeIds()).containsExactly("unread");
        // once the master catches up, silence counts again from where it was
        int sweeps = 0;
        while (!registry.sweep(true).changed() && sweeps < 10) {
            sweeps++;
        }
        assertThat(registry.workers()).extracting(WorkerInfo::state).containsExactly("missing");
        assertThat(sweeps).isEqualTo(4);
    }

    @Test
    void heartbeatRepliesGoOncePerRoundToWorkersThatUnderstandThem() {
        WorkerRegistry registry = new WorkerRegistry();
        join(registry, "java", -1L);
        join(registry, "debian", "");
        join(registry, "old", "2.12.1");
        join(registry, "new", "2.19.0");
        for (String id : List.of("java", "debian", "old", "new")) {
            registry.heartbeat(id, "ready", 0, true, 1);
            registry.heartbeat(id, "ready", 0, true, 1);
        }
        assertThat(registry.sweep().replyTo()).containsExactlyInAnyOrder("java", "new");
        assertThat(registry.sweep().replyTo()).isEmpty();
        // half-way between two rounds: what came since is answered, and not again by the round
        registry.heartbeat("java", "ready", 0, true, 1);
        registry.heartbeat("old", "ready", 0, true, 1);
        assertThat(registry.takeReplies()).containsExactly("java");
        assertThat(registry.takeReplies()).isEmpty();
        assertThat(registry.sweep().replyTo()).isEmpty();
    }

    @Test
    void versions() {
        assertThat(LocustVersions.understandsHeartbeatReplies(-1L)).isTrue();
        assertThat(LocustVersions.understandsHeartbeatReplies("2.19.0")).isTrue();
        assertThat(LocustVersions.understandsHeartbeatReplies("3.0")).isTrue();
        assertThat(LocustVersions.understandsHeartbeatReplies("2.18.9")).isFalse();
        assertThat(LocustVersions.understandsHeartbeatReplies("")).isFalse();
        assertThat(LocustVersions.understandsHeartbeatReplies("99999999999.1")).isFalse();
        assertThat(LocustVersions.understandsHeartbeatReplies(null)).isFalse();
        assertThat(LocustVersions.understandsSpawningCompleteBroadcast("2.29.0")).isTrue();
        assertThat(LocustVersions.understandsSpawningCompleteBroadcast("2.28.0")).isFalse();
        assertThat(LocustVersions.understandsSpawningCompleteBroadcast(-1L)).isFalse();
    }

    @Test
    void quittingWaitsForEveryWorkerThatIsNotMissing() {
        WorkerRegistry registry = new WorkerRegistry();
        join(registry, "a", -1L);
        join(registry, "b", -1L);
        registry.awaitQuitFromAll();
        assertThat(registry.awaitingQuitCount()).isEqualTo(2);
        assertThat(registry.quit("a")).isEqualTo(new WorkerRegistry.Departure(0, true));
        assertThat(registry.quit("a")).isNull();
        assertThat(registry.awaitingQuitCount()).isEqualTo(1);
        assertThat(registry.awaitReady(1, Duration.ofSeconds(1), () -> false)).isTrue();
        assertThat(registry.awaitReady(2, Duration.ofMillis(100), () -> false)).isFalse();
        assertThat(registry.awaitReady(2, Duration.ZERO, () -> true)).isFalse();
    }
}
