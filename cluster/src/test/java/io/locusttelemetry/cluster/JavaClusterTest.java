package io.locusttelemetry.cluster;

import io.locusttelemetry.testing.Nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.Environment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java master and Java workers in one JVM against a real nginx. */
class JavaClusterTest {

    @Test
    void masterAndTwoWorkersCountWhatNginxServed(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); Cluster cluster = new Cluster()) {
            Environment masterEnv = Cluster.environment(nginx.url(), ClusterUser.class);
            masterEnv.stopTimeout(2);
            MasterRunner master = cluster.master(masterEnv);
            List<String> order = new CopyOnWriteArrayList<>();
            masterEnv.events().testStart.addListener(e -> master.sendMessage("set_metadata", Map.of("run_id", "abcd1234")));
            List<Object> acks = new CopyOnWriteArrayList<>();
            master.registerMessage("metadata_ack", (env, msg) -> acks.add(msg.data()));

            Environment[] envs = new Environment[2];
            WorkerRunner[] workers = new WorkerRunner[2];
            for (int i = 0; i < 2; i++) {
                Environment env = Cluster.environment(null, ClusterUser.class);
                envs[i] = env;
                WorkerRunner w = cluster.worker(env, master.port());
                workers[i] = w;
                w.registerMessage("set_metadata", (e, msg) -> {
                    order.add(w.sourceId() + ":metadata");
                    w.sendMessage("metadata_ack", Map.of("worker_index", (long) w.workerIndex()));
                });
                env.events().testStart.addListener(e -> order.add(w.sourceId() + ":test_start"));
            }
            assertThat(master.awaitWorkers(2, Duration.ofSeconds(10))).isTrue();
            assertThat(workers[0].sourceId()).matches("worker-[01]");
            master.start(6, 6);
            await().atMost(Duration.ofSeconds(10)).until(() -> master.userCount() == 6);
            assertThat(workers[0].userCount() + workers[1].userCount()).isEqualTo(6);
            assertThat(workers[0].userCount()).isEqualTo(3);
            Thread.sleep(2500);
            master.quit();
            await().atMost(Duration.ofSeconds(10)).until(() -> workers[0].quitted().isDone() && workers[1].quitted().isDone());
            assertThat(workers[0].quitted().get()).isEqualTo(WorkerRunner.ExitReason.MASTER_QUIT);

            long total = Cluster.total(masterEnv);
            assertThat(total).isGreaterThan(50);
            assertThat(nginx.loggedRequests()).isEqualTo(total);
            assertThat(master.droppedMessageCount()).as("reports of real workers are never refused").isZero();
            assertThat(master.malformedFrameCount()).isZero();
            assertThat(masterEnv.stats().snapshot().entries()).extracting(e -> e.name())
                    .containsExactlyInAnyOrder("/java/worker-0", "/java/worker-1");
            assertThat(acks).hasSize(2);
            for (WorkerRunner w : workers) {
                assertThat(order.indexOf(w.sourceId() + ":metadata")).isLessThan(order.indexOf(w.sourceId() + ":test_start"))
                        .isNotNegative();
            }
        }
    }

    @Test
    void workerJoiningDuringATestGetsItsShareAndTheMetadataFirst(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); Cluster cluster = new Cluster()) {
            Environment masterEnv = Cluster.environment(nginx.url(), ClusterUser.class);
            masterEnv.stopTimeout(2);
            MasterRunner master = cluster.master(masterEnv);
            masterEnv.events().testStart.addListener(e -> master.sendMessage("set_metadata", Map.of("run_id", "0badcafe")));
            WorkerRunner first = cluster.worker(Cluster.environment(null, ClusterUser.class), master.port());
            assertThat(master.awaitWorkers(1, Duration.ofSeconds(10))).isTrue();
            master.start(4, 100);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.userCount() == 4);

            Environment lateEnv = Cluster.environment(null, ClusterUser.class);
            List<String> order = new CopyOnWriteArrayList<>();
            lateEnv.events().testStart.addListener(e -> order.add("test_start"));
            WorkerRunner late = cluster.worker(lateEnv, master.port());
            late.registerMessage("set_metadata", (e, msg) -> order.add("metadata " + ((Map<?, ?>) msg.data()).get("run_id")));
            await().atMost(Duration.ofSeconds(10)).until(() -> late.userCount() == 2 && first.userCount() == 2);
            assertThat(order).containsExactly("metadata 0badcafe", "test_start");
            // the master learns the counts from the workers' spawning_complete, a moment later
            await().atMost(Duration.ofSeconds(5)).until(() -> master.userCount() == 4);

            // a custom message to one worker; then a reconnect: the worker opens a new socket and carries on
            List<Object> direct = new CopyOnWriteArrayList<>();
            late.registerMessage("only_you", (e, msg) -> direct.add(msg.data()));
            first.registerMessage("only_you", (e, msg) -> direct.add("wrong worker"));
            master.sendMessage("only_you", "hello", late.nodeId());
            await().atMost(Duration.ofSeconds(5)).until(() -> direct.size() == 1);
            assertThat(direct).containsExactly("hello");
            long before = Cluster.total(masterEnv);
            master.sendMessage("reconnect", null, first.nodeId());
            Thread.sleep(6000);
            assertThat(master.workers()).extracting(WorkerInfo::state).containsOnly("running");
            assertThat(Cluster.total(masterEnv)).isGreaterThan(before);
            assertThat(masterEnv.stats().snapshot().entries()).extracting(e -> e.name()).contains("/java/" + first.sourceId());

            // stop keeps the master and the workers; a new test starts from fresh statistics
            master.stop();
            assertThat(master.state()).isEqualTo(io.locusttelemetry.engine.RunnerState.STOPPED);
            await().atMost(Duration.ofSeconds(10)).until(() -> master.readyWorkerCount() == 2);
            assertThat(first.userCount() + late.userCount()).isZero();
            master.start(2, 100);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.userCount() == 1 && late.userCount() == 1);
            Thread.sleep(1500);
            master.quit();
            await().atMost(Duration.ofSeconds(10)).until(() -> first.quitted().isDone() && late.quitted().isDone());
            long total = Cluster.total(masterEnv);
            assertThat(total).isPositive();
            assertThat(total).isLessThan(nginx.loggedRequests());
        }
    }
}
