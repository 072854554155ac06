package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.testing.Nginx;
import io.locusttelemetry.testing.Ports;
import io.locusttelemetry.testing.PythonLocust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master that gives a worker users of a class the worker's locustfile does not have: no user
 * runs, and neither side may pass for a success. The worker logs one clear error and exits with 1;
 * the master's log names the worker and the class and it exits non-zero: a jlocust master, a
 * Python master (from the failure the jlocust worker reports) and a jlocust master with a Python
 * worker (which only crashes its spawn: the master sees the class missing from what it reports).
 */
class MissingUserClassTest {
    private static final String GHOST = "src/test/resources/locustfiles/GhostUser.java";
    private static final String GHOST_PY = """
            from locust import HttpUser, constant, task


            class GhostUser(HttpUser):
                wait_time = constant(0.05)

                @task
                def index(self):
                    self.client.get("/?ghost")
            """;

    @Test
    void aJavaWorkerUnderAJavaMaster(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            int port = Ports.free();
            try (JlocustProcess master = JlocustProcess.start(dir, "master", Map.of(), "-f", GHOST, "--master", "--master-bind-host",
                    "127.0.0.1", "--master-bind-port", String.valueOf(port), "--expect-workers", "1", "-u", "2", "-r", "2", "-t", "5s",
                    "-H", nginx.url(), "--only-summary");
                 JlocustProcess worker = JlocustProcess.start(dir, "worker", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--worker",
                    "--master-port", String.valueOf(port))) {
                int masterExit = master.waitFor(60);
                assertThat(worker.waitFor(20)).as(worker.output()).isEqualTo(1);
                String id = nodeId(worker.output());
                assertWorkerSaidItOnce(worker.output());
                String log = master.output();
                assertThat(masterExit).as(log).isNotZero();
                assertThat(log).contains("Worker " + id + " has no user class 'GhostUser' (its classes: [ClusterUser])");
                assertThat(log).contains("SPAWN GhostUser: worker " + id + " has no user class 'GhostUser'");
                assertThat(HostilePeersCliTest.count(log, "has no user class 'GhostUser' (its classes")).isEqualTo(1);
                assertThat(nginx.loggedRequests()).isZero();
            }
        }
    }

    @Test
    void aJavaWorkerUnderAPythonMaster(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            Path locustfile = Files.writeString(dir.resolve("ghost.py"), GHOST_PY);
            int port = Ports.free();
            try (PythonLocust master = PythonLocust.start(PythonLocust.LAUNCHER, dir, "master", "-f", locustfile.toString(), "--master",
                    "--master-bind-host", "127.0.0.1", "--master-bind-port", String.valueOf(port), "--headless", "--expect-workers", "1",
                    "-u", "2", "-r", "2", "-t", "6s", "-H", nginx.url());
                 JlocustProcess worker = JlocustProcess.start(dir, "worker", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--worker",
                    "--master-port", String.valueOf(port))) {
                int masterExit = master.waitFor(60);
                assertThat(worker.waitFor(20)).as(worker.output()).isEqualTo(1);
                String id = nodeId(worker.output());
                assertWorkerSaidItOnce(worker.output());
                String log = master.output();
                System.out.println(log.lines().filter(l -> l.contains("GhostUser")).toList());
                assertThat(masterExit).as(log).isEqualTo(1);
                // the Python master's error report, in its log
                assertThat(log).contains("SPAWN GhostUser:").contains("worker " + id + " has no user class");
                assertThat(nginx.loggedRequests()).isZero();
            }
        }
    }

    @Test
    void aPythonWorkerUnderAJavaMaster(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            Path locustfile = PythonLocust.resource("peers/cluster_peer.py", dir);
            int port = Ports.free();
            try (JlocustProcess master = JlocustProcess.start(dir, "master", Map.of(), "-f", GHOST, "--master", "--master-bind-host",
                    "127.0.0.1", "--master-bind-port", String.valueOf(port), "--expect-workers", "1", "-u", "2", "-r", "2", "-t", "6s",
                    "-H", nginx.url(), "--only-summary");
                 PythonLocust worker = PythonLocust.start(PythonLocust.LAUNCHER, dir, "worker", "-f", locustfile.toString(), "--worker",
                    "--master-host", "127.0.0.1", "--master-port", String.valueOf(port))) {
                int masterExit = master.waitFor(60);
                int workerExit = worker.waitFor(20);
                String log = master.output();
                System.out.printf("Python %s worker given an unknown class: exit code %d; jlocust master: exit code %d%n",
                        PythonLocust.LAUNCHER_VERSION, workerExit, masterExit);
                // what a Python 2.12.1 worker does with the class: its spawn step fails with a KeyError, and it runs nothing
                assertThat(worker.output()).contains("KeyError: 'GhostUser'");
                Matcher m = Pattern.compile("(\\S+) \\(index 0\\) reported as ready").matcher(log);
                assertThat(m.find()).as(log).isTrue();
                String id = m.group(1);
                assertThat(masterExit).as(log).isNotZero();
                assertThat(log).contains("Worker " + id + " has no user class 'GhostUser' (its classes: [ClusterUser])");
                assertThat(log).contains("SPAWN GhostUser: worker " + id + " has no user class 'GhostUser'");
                assertThat(nginx.loggedRequests()).isZero();
            }
        }
    }

    private static String nodeId(String workerLog) {
        Matcher m = Pattern.compile("Connecting to the master at \\S+ as (\\S+)").matcher(workerLog);
        assertThat(m.find()).as(workerLog).isTrue();
        return m.group(1);
    }

    private static void assertWorkerSaidItOnce(String workerLog) {
        assertThat(workerLog).contains("ERROR/WorkerRunner: The master asked for 2 users of class 'GhostUser', which this worker's "
                + "locustfile does not have (its classes: [ClusterUser]): none of them run here, and this worker will exit with code 1");
        assertThat(HostilePeersCliTest.count(workerLog, "/ERROR/")).as(workerLog).isEqualTo(1);
        assertThat(workerLog).contains("Shutting down (exit code 1)");
    }
}
