package io.locusttelemetry.cli;

import io.locusttelemetry.testing.Nginx;
import io.locusttelemetry.testing.PythonLocust;
import io.locusttelemetry.testing.Ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed options of the jlocust command, with real worker processes, Python Locust and nginx. */
class DistributedCliTest {
    static final String LOCUSTFILE = "src/test/resources/locustfiles/ClusterUser.java";

    @Test
    void processesStartsAMasterAndThreeLocalWorkers(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            String prefix = dir.resolve("run").toString();
            Jlocust.Result r = Jlocust.run("-f", LOCUSTFILE, "--processes", "3", "--master-bind-host", "127.0.0.1",
                    "--master-bind-port", "0", "-u", "6", "-r", "6", "-t", "6s", "--stop-timeout", "2", "-H", nginx.url(),
                    "--csv", prefix, "--only-summary");
            assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(0);
            Map<String, Long> rows = statsRows(Path.of(prefix + "_stats.csv"));
            long total = rows.get("Aggregated");
            System.out.printf("--processes 3: CSV total %d, nginx %d%n", total, nginx.loggedRequests());
            assertThat(total).isGreaterThan(50);
            assertThat(nginx.loggedRequests()).isEqualTo(total);
            assertThat(rows).containsKeys("/java/worker-0", "/java/worker-1", "/java/worker-2");
            assertThat(r.out()).contains("Aggregated");
        }
    }

    @Test
    void javaWorkerFromEnvironmentVariablesUnderAPythonMaster(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            Path locustfile = PythonLocust.resource("peers/cluster_peer.py", dir);
            int port = Ports.free();
            String csv = dir.resolve("py").toString();
            try (PythonLocust master = PythonLocust.start(PythonLocust.LAUNCHER, dir, "master", "-f", locustfile.toString(),
                    "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", String.valueOf(port), "--headless",
                    "--expect-workers", "1", "-u", "3", "-r", "3", "-t", "5s", "--stop-timeout", "2", "-H", nginx.url(),
                    "--csv", csv)) {
                Map<String, String> env = new HashMap<>();
                env.put("LOCUST_MODE_WORKER", "true");
                env.put("LOCUST_MASTER_NODE_HOST", "127.0.0.1");
                env.put("LOCUST_MASTER_NODE_PORT", String.valueOf(port));
                CompletableFuture<Jlocust.Result> worker = CompletableFuture.supplyAsync(() -> Jlocust.run(env, "-f", LOCUSTFILE));
                Jlocust.Result r = worker.get(60, TimeUnit.SECONDS);
                assertThat(r.exitCode()).as(r.out() + r.err() + master.output()).isEqualTo(0);
                assertThat(r.out()).as("a worker prints no statistics").doesNotContain("Aggregated");
                assertThat(master.waitFor(30)).isIn(0, 1);
                long total = Long.parseLong(statsRow(Path.of(csv + "_stats.csv"), "Aggregated").split(",")[2]);
                System.out.printf("2.12.1 master + jlocust --worker: CSV total %d, nginx %d%n", total, nginx.loggedRequests());
                assertThat(total).as(master.output()).isGreaterThan(20);
                assertThat(nginx.loggedRequests()).isEqualTo(total);
                assertThat(statsRow(Path.of(csv + "_stats.csv"), "/java/worker-0")).isNotNull();
            }
        }
    }

    @Test
    void helpListsTheDistributedOptions() {
        Jlocust.Result r = Jlocust.run("--help");
        assertThat(r.out()).contains("Distributed options").contains("--master-bind-port").contains("--expect-workers-max-wait")
                .contains("--processes").contains("LOCUST_MASTER_NODE_HOST");
    }

    @Test
    void masterAndWorkerTogetherIsRefused() {
        Jlocust.Result r = Jlocust.run("-f", LOCUSTFILE, "--master", "--worker");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("cannot be combined with --worker");
    }

    @Test
    void masterGivesUpWaitingForWorkers() {
        Jlocust.Result r = Jlocust.run("-f", LOCUSTFILE, "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", "0",
                "--expect-workers", "2", "--expect-workers-max-wait", "1", "-t", "5s");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("Gave up waiting for workers to connect: 0 of 2");
    }

    static Map<String, Long> statsRows(Path csv) throws Exception {
        Map<String, Long> out = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] cols = line.split(",");
            out.put(cols[1].replace("\"", ""), Long.parseLong(cols[2].replace("\"", "")));
        }
        return out;
    }

    static String statsRow(Path csv, String name) throws Exception {
        for (String line : Files.readAllLines(csv)) {
            String[] cols = line.split(",");
            if (cols.length > 2 && cols[1].replace("\"", "").equals(name)) {
                return line.replace("\"", "");
            }
        }
        return null;
    }
}
