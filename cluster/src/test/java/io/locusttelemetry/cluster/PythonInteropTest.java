package io.locusttelemetry.cluster;

import io.locusttelemetry.testing.Nginx;
import io.locusttelemetry.testing.PythonLocust;
import io.locusttelemetry.testing.Ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with a real Python Locust (Debian's 2.12.1): a Python master with Java workers, and a
 * Java master with Python workers, counted against a real nginx's access log.
 */
class PythonInteropTest {

    @Test
    void pythonMasterWithTwoJavaWorkers(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); Cluster cluster = new Cluster()) {
            Path locustfile = PythonLocust.resource("peers/cluster_peer.py", dir);
            int port = Ports.free();
            String csv = dir.resolve("py").toString();
            try (PythonLocust master = PythonLocust.start(PythonLocust.LAUNCHER, dir, "master", "-f", locustfile.toString(),
                    "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", String.valueOf(port), "--headless",
                    "--expect-workers", "2", "-u", "4", "-r", "4", "-t", "6s", "--stop-timeout", "2", "-H", nginx.url(), "--csv", csv)) {
                List<String> events = new CopyOnWriteArrayList<>();
                List<WorkerRunner> workers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Environment env = Cluster.environment(null, ClusterUser.class);
                    WorkerRunner w = cluster.worker(env, port);
                    workers.add(w);
                    // what a telemetry plugin does: apply the master's metadata, here answered so the master can see it
                    w.registerMessage("set_metadata", (e, msg) -> {
                        events.add(w.sourceId() + " metadata " + ((Map<?, ?>) msg.data()).get("run_id"));
                        w.sendMessage("metadata_ack", Map.of("received", ((Map<?, ?>) msg.data()).get("run_id"),
                                "worker_index", (long) w.workerIndex()));
                    });
                    env.events().testStart.addListener(e -> events.add(w.sourceId() + " test_start"));
                }
                assertThat(master.waitFor(60)).as(master.output()).isIn(0, 1);
                for (WorkerRunner w : workers) {
                    assertThat(w.quitted().get(10, TimeUnit.SECONDS)).isEqualTo(WorkerRunner.ExitReason.MASTER_QUIT);
                }
                String out = master.output();
                long total = aggregatedRequests(Path.of(csv + "_stats.csv"));
                System.out.printf(PythonLocust.LAUNCHER_VERSION + " master + 2 Java workers: CSV total %d, nginx %d%n", total, nginx.loggedRequests());
                assertThat(total).as(out).isGreaterThan(20);
                assertThat(nginx.loggedRequests()).as(out).isEqualTo(total);
                assertThat(countMatches(out, "METADATA_ACK from")).as(out).isEqualTo(2);
                assertThat(out).contains("'received': 'c0ffee42'");
                assertThat(workers).extracting(WorkerRunner::sourceId).containsExactlyInAnyOrder("worker-0", "worker-1");
                for (WorkerRunner w : workers) {
                    assertThat(events).containsSubsequence(w.sourceId() + " metadata c0ffee42", w.sourceId() + " test_start");
                }
                assertThat(out).doesNotContain("Traceback").doesNotContain("different version");
            }
        }
    }

    @Test
    void javaMasterWithTwoPythonWorkersIncludingDebiansEmptyVersion(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); Cluster cluster = new Cluster()) {
            Path locustfile = PythonLocust.resource("peers/cluster_peer.py", dir);
            Environment env = Cluster.environment(nginx.url(), ClusterUser.class);
            // users finish the request they are in when the test ends, so every request nginx saw is counted
            env.stopTimeout(2);
            MasterRunner master = cluster.master(env);
            List<Object> acks = new CopyOnWriteArrayList<>();
            env.events().testStart.addListener(e -> master.sendMessage("set_metadata", Map.of("run_id", "beef0001", "testplan", "interop")));
            master.registerMessage("metadata_ack", (e, msg) -> acks.add(msg.data()));
            String[] args = {"-f", locustfile.toString(), "--worker", "--master-host", "127.0.0.1", "--master-port",
                String.valueOf(master.port())};
            try (PythonLocust launched = PythonLocust.start(PythonLocust.LAUNCHER, dir, "worker-launcher", args);
                 PythonLocust debian = PythonLocust.start(PythonLocust.DEBIAN_LOCUST, dir, "worker-debian", args)) {
                assertThat(master.awaitWorkers(2, Duration.ofSeconds(30))).as(launched.output() + debian.output()).isTrue();
                assertThat(master.workers()).extracting(WorkerInfo::version).containsExactlyInAnyOrder(PythonLocust.LAUNCHER_VERSION, "");
                master.start(4, 4);
                await().atMost(Duration.ofSeconds(15)).until(() -> master.userCount() == 4);
                assertThat(master.workers()).allSatisfy(w -> assertThat(w.userCount()).isEqualTo(2));
                Thread.sleep(4000);
                master.quit();
                assertThat(launched.waitFor(15)).isZero();
                assertThat(debian.waitFor(15)).isZero();
                long total = Cluster.total(env);
                System.out.printf("Java master + " + PythonLocust.LAUNCHER_VERSION + " worker and Debian's '' worker: total %d, nginx %d%n", total, nginx.loggedRequests());
                assertThat(total).isGreaterThan(20);
                assertThat(nginx.loggedRequests()).isEqualTo(total);
                assertThat(master.droppedMessageCount()).as("reports of real workers are never refused").isZero();
                EntrySnapshot py = env.stats().snapshot().entries().stream().filter(e -> e.name().equals("/py")).findFirst().orElseThrow();
                assertThat(py.numRequests()).isEqualTo(total);
                assertThat(py.responseTimeKeys()).isNotEmpty();
                assertThat(acks).hasSize(2);
                assertThat(launched.output() + debian.output()).contains("'run_id': 'beef0001'");
            }
        }
    }

    @Test
    void javaMasterWithOneJavaAndOnePythonWorker(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx")); Cluster cluster = new Cluster()) {
            Path locustfile = PythonLocust.resource("peers/cluster_peer.py", dir);
            Environment env = Cluster.environment(nginx.url(), ClusterUser.class);
            // users finish the request they are in when the test ends, so every request nginx saw is counted
            env.stopTimeout(2);
            MasterRunner master = cluster.master(env);
            WorkerRunner javaWorker = cluster.worker(Cluster.environment(null, ClusterUser.class), master.port());
            try (PythonLocust python = PythonLocust.start(PythonLocust.LAUNCHER, dir, "worker", "-f", locustfile.toString(),
                    "--worker", "--master-host", "127.0.0.1", "--master-port", String.valueOf(master.port()))) {
                assertThat(master.awaitWorkers(2, Duration.ofSeconds(30))).as(python.output()).isTrue();
                master.start(4, 2);
                await().atMost(Duration.ofSeconds(15)).until(() -> master.userCount() == 4);
                assertThat(javaWorker.userCount()).isEqualTo(2);
                Thread.sleep(4000);
                master.quit();
                assertThat(python.waitFor(15)).isZero();
                assertThat(javaWorker.quitted().get(10, TimeUnit.SECONDS)).isEqualTo(WorkerRunner.ExitReason.MASTER_QUIT);
                long total = Cluster.total(env);
                System.out.printf("Java master + Java and " + PythonLocust.LAUNCHER_VERSION + " workers: total %d, nginx %d%n", total, nginx.loggedRequests());
                assertThat(nginx.loggedRequests()).isEqualTo(total);
                assertThat(master.droppedMessageCount()).as("reports of real workers are never refused").isZero();
                assertThat(env.stats().snapshot().entries()).extracting(EntrySnapshot::name)
                        .containsExactlyInAnyOrder("/py", "/java/" + javaWorker.sourceId());
                assertThat(env.stats().snapshot().entries()).allSatisfy(e -> assertThat(e.numRequests()).isGreaterThan(10));
            }
        }
    }

    static long aggregatedRequests(Path statsCsv) throws Exception {
        for (String line : Files.readAllLines(statsCsv)) {
            String[] cols = line.split(",");
            if (cols.length > 2 && cols[1].replace("\"", "").equals("Aggregated")) {
                return Long.parseLong(cols[2].replace("\"", ""));
            }
        }
        throw new AssertionError("no Aggregated row in " + statsCsv);
    }

    static int countMatches(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
