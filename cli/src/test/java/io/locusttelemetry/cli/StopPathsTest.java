package io.locusttelemetry.cli;

import static io.locusttelemetry.cli.StopTargets.MIX;
import static io.locusttelemetry.cli.StopTargets.SHAPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a standalone run stops its users keeps the totals equal to what the targets served,
 * with {@code --stop-timeout 0} and requests in flight at each stop: the slow ones end within the
 * request grace and are counted as they end; the sleeper's outlives it, is cut and counted as a
 * failure "interrupted by stop", which alone does not fail the run. Each path runs a few times.
 */
class StopPathsTest {

    @Test
    void theEndOfTheRunTime(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            try (StopTargets t = StopTargets.start(dir.resolve("targets-" + i))) {
                String prefix = dir.resolve("run-" + i).toString();
                Jlocust.Result r = Jlocust.run("-f", MIX, "-u", "6", "-r", "50", "-t", "3s", "-H", t.nginx.url(), "--csv", prefix,
                        "--only-summary");
                assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
                assertThat(t.assertCountedAllServed("-t, run " + i, prefix, r.out() + r.err())).as("the sleeper's request was cut")
                        .isPositive();
            }
        }
    }

    @Test
    void sigint(@TempDir Path dir) throws Exception {
        stoppedBySignal(dir, "INT");
    }

    @Test
    void sigterm(@TempDir Path dir) throws Exception {
        stoppedBySignal(dir, "TERM");
    }

    @Test
    void aShapeLoweringTheUserCountTwiceThenEndingTheTest(@TempDir Path dir) throws Exception {
        try (StopTargets t = StopTargets.start(dir.resolve("targets"))) {
            String prefix = dir.resolve("shape").toString();
            Jlocust.Result r = Jlocust.run("-f", SHAPE, "-H", t.nginx.url(), "--csv", prefix, "--only-summary");
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            List<String> userCounts = Files.readAllLines(Path.of(prefix + "_stats_history.csv")).stream().skip(1)
                    .map(l -> l.split(",")[1]).toList();
            assertThat(userCounts).as("the user counts, second by second").contains("6", "2");
            assertThat(userCounts.subList(userCounts.indexOf("6"), userCounts.size())).contains("2");
            assertThat(t.assertCountedAllServed("shape 6, 2, 6, 2, end", prefix, r.out() + r.err())).isPositive();
        }
    }

    private static void stoppedBySignal(Path dir, String signal) throws Exception {
        for (int i = 0; i < 2; i++) {
            try (StopTargets t = StopTargets.start(dir.resolve("targets-" + i))) {
                String prefix = dir.resolve("run-" + i).toString();
                try (JlocustProcess p = JlocustProcess.start(dir, "jlocust-" + i, Map.of(), List.of(t.jvmOption()), "-f", MIX,
                        "-u", "6", "-r", "50", "-t", "120s", "-H", t.nginx.url(), "--csv", prefix, "--only-summary")) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> p.output().contains("All users spawned")
                            && t.nginx.loggedRequests() > 20 && t.slow.served() > 5);
                    signal(p, signal);
                    assertThat(p.waitFor(60)).as(p.output()).isZero();
                    assertThat(p.output()).contains("Got a stop signal, shutting down");
                    assertThat(t.assertCountedAllServed("SIG" + signal + ", run " + i, prefix, p.output())).isPositive();
                }
            }
        }
    }

    static void signal(JlocustProcess p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.process().pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
