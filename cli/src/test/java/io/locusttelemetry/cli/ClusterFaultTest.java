package io.locusttelemetry.cli;

import io.locusttelemetry.testing.Nginx;
import io.locusttelemetry.testing.Ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults with real processes: a worker killed with -9, and the master killed with -9. */
class ClusterFaultTest {
    private static final String LOCUSTFILE = DistributedCliTest.LOCUSTFILE;
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    @Test
    void killedWorkerIsMarkedMissingAndTheRestGoOn(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            int port = Ports.free();
            String csv = dir.resolve("run").toString();
            try (JlocustProcess master = JlocustProcess.start(dir, "master", Map.of(), "-f", LOCUSTFILE, "--master",
                    "--master-bind-host", "127.0.0.1", "--master-bind-port", String.valueOf(port), "--expect-workers", "2",
                    "-u", "4", "-r", "4", "-t", "14s", "--stop-timeout", "2", "-H", nginx.url(), "--csv", csv, "--only-summary");
                 JlocustProcess w0 = JlocustProcess.start(dir, "worker-a", Map.of(), "-f", LOCUSTFILE, "--worker",
                    "--master-port", String.valueOf(port));
                 JlocustProcess w1 = JlocustProcess.start(dir, "worker-b", Map.of(), "-f", LOCUSTFILE, "--worker",
                    "--master-port", String.valueOf(port))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> master.output().contains("All users spawned"));
                // long enough for every worker to have sent a report with requests (one every 3 s)
                Thread.sleep(4000);
                JlocustProcess victim = w0;
                String victimSource = sourceOf(victim.output());
                String survivorSource = sourceOf(w1.output());
                LocalDateTime killedAt = LocalDateTime.now();
                victim.kill();
                await().atMost(Duration.ofSeconds(10)).until(() -> master.output().contains("failed to send heartbeat"));
                LocalDateTime missingAt = logTime(master.output(), "failed to send heartbeat");
                double seconds = Duration.between(killedAt, missingAt).toMillis() / 1000.0;
                System.out.printf("killed worker marked missing after %.2f s%n", seconds);
                assertThat(seconds).as(master.output()).isLessThanOrEqualTo(5.5);

                assertThat(master.waitFor(60)).as(master.output()).isZero();
                assertThat(w1.waitFor(20)).as(w1.output()).isZero();
                Map<String, Long> rows = DistributedCliTest.statsRows(Path.of(csv + "_stats.csv"));
                assertThat(rows).as(master.output() + w1.output()).containsKeys("/java/" + survivorSource, "/java/" + victimSource);
                long survivor = rows.get("/java/" + survivorSource);
                long victimCounted = rows.get("/java/" + victimSource);
                long victimServed = nginx.loggedRequests("from=" + victimSource + " ");
                System.out.printf("survivor %s: %d counted, %d in nginx; killed %s: %d counted, %d in nginx%n", survivorSource, survivor,
                        nginx.loggedRequests("from=" + survivorSource + " "), victimSource, victimCounted, victimServed);
                assertThat(nginx.loggedRequests("from=" + survivorSource + " ")).isEqualTo(survivor);
                // what the killed worker reported is counted; what it did after its last report is lost with it
                assertThat(victimCounted).isPositive().isLessThanOrEqualTo(victimServed);
                assertThat(rows.get("Aggregated")).isEqualTo(survivor + victimCounted);
                assertThat(master.output()).contains("(" + 4 + " total users)");
            }
        }
    }

    @Test
    void workersQuitByThemselvesWhenTheMasterIsKilled(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            int port = Ports.free();
            try (JlocustProcess master = JlocustProcess.start(dir, "master", Map.of(), "-f", LOCUSTFILE, "--master",
                    "--master-bind-host", "127.0.0.1", "--master-bind-port", String.valueOf(port), "--expect-workers", "2",
                    "-u", "2", "-r", "2", "-H", nginx.url(), "--only-summary");
                 JlocustProcess w0 = JlocustProcess.start(dir, "worker-a", Map.of(), "-f", LOCUSTFILE, "--worker",
                    "--master-port", String.valueOf(port), "--master-heartbeat-timeout", "3");
                 JlocustProcess w1 = JlocustProcess.start(dir, "worker-b", Map.of(), "-f", LOCUSTFILE, "--worker",
                    "--master-port", String.valueOf(port), "--master-heartbeat-timeout", "3")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> master.output().contains("All users spawned"));
                Thread.sleep(1000);
                master.kill();
                for (JlocustProcess w : new JlocustProcess[] {w0, w1}) {
                    assertThat(w.waitFor(20)).as(w.output()).isEqualTo(1);
                    // its users stop as soon as the master stops answering, not only when the worker gives up
                    String out = w.output();
                    int stopped = out.indexOf("stopping the users and announcing this worker again");
                    assertThat(stopped).as(out).isPositive();
                    assertThat(out.indexOf("No heartbeat from the master at 127.0.0.1:" + port + " for 3 s: it is gone, quitting"))
                            .as(out).isGreaterThan(stopped);
                }
                long served = nginx.loggedRequests();
                Thread.sleep(1000);
                assertThat(nginx.loggedRequests()).isEqualTo(served);
            }
        }
    }

    private static String sourceOf(String workerOutput) {
        Matcher m = Pattern.compile(" as (worker-\\d+) ").matcher(workerOutput);
        if (!m.find()) {
            throw new AssertionError("worker did not connect:\n" + workerOutput);
        }
        return m.group(1);
    }

    private static LocalDateTime logTime(String output, String text) {
        for (String line : output.split("\n")) {
            if (line.contains(text) && line.startsWith("[")) {
                return LocalDateTime.parse(line.substring(1, 24), LOG_TIME);
            }
        }
        throw new AssertionError("no log line with '" + text + "'");
    }
}
