package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.testing.Nginx;
import io.locusttelemetry.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master killed while its workers run and started again on the same port: the new master adopts
 * the workers (they announce themselves again when it does not know them), they stop loading the
 * old master's target, and the new master counts exactly what its own test served, none of what
 * the orphaned users did. The two tests go to two nginx instances, so each access log tells apart
 * what each master's test did.
 */
class MasterRestartTest {

    @Test
    void aRestartedMasterAdoptsTheRunningWorkersAndCountsOnlyItsOwnTest(@TempDir Path dir) throws Exception {
        try (Nginx before = Nginx.start(dir.resolve("nginx-before")); Nginx after = Nginx.start(dir.resolve("nginx-after"))) {
            int port = Ports.free();
            String csv = dir.resolve("after").toString();
            String[] masterArgs = {"-f", DistributedCliTest.LOCUSTFILE, "--master", "--master-bind-host", "127.0.0.1",
                "--master-bind-port", String.valueOf(port), "--expect-workers", "2", "-u", "2", "-r", "2", "--stop-timeout", "2",
                "--only-summary"};
            try (JlocustProcess first = JlocustProcess.start(dir, "master-first", Map.of(), concat(masterArgs, "-H", before.url()));
                 JlocustProcess w0 = JlocustProcess.start(dir, "worker-a", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--worker",
                    "--master-port", String.valueOf(port));
                 JlocustProcess w1 = JlocustProcess.start(dir, "worker-b", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--worker",
                    "--master-port", String.valueOf(port))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> first.output().contains("All users spawned"));
                Thread.sleep(3000);
                first.kill();
                long servedBeforeRestart = before.loggedRequests();
                try (JlocustProcess second = JlocustProcess.start(dir, "master-second", Map.of(),
                        concat(masterArgs, "-H", after.url(), "-t", "6s", "--csv", csv))) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> second.output().contains("Sending spawn jobs"));
                    long orphansServed = before.loggedRequests();
                    assertThat(second.waitFor(60)).as(second.output()).isZero();
                    assertThat(w0.waitFor(20)).as(w0.output()).isZero();
                    assertThat(w1.waitFor(20)).as(w1.output()).isZero();
                    long total = DistributedCliTest.statsRows(Path.of(csv + "_stats.csv")).get("Aggregated");
                    System.out.printf("first master's target: %d before the kill, %d in all; second master: CSV total %d, nginx %d%n",
                            servedBeforeRestart, before.loggedRequests(), total, after.loggedRequests());
                    assertThat(second.output()).contains("reported as ready. 2 workers connected");
                    for (JlocustProcess w : new JlocustProcess[] {w0, w1}) {
                        assertThat(w.output()).contains("announcing this worker again").contains("Connected again to the master");
                    }
                    // the orphans stopped before the new test began, and nothing of theirs was counted
                    assertThat(before.loggedRequests()).isEqualTo(orphansServed);
                    assertThat(total).isGreaterThan(20);
                    assertThat(after.loggedRequests()).isEqualTo(total);
                }
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
