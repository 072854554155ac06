package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.testing.Ports;
import io.locusttelemetry.testing.StallTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jlocust master splits an arrival rate over its two jlocust workers (real processes), and
 * when one is killed with -9 gives the survivor the whole rate once the dead one is missing,
 * within the heartbeat timeout: the target keeps getting 400 requests a second.
 */
@Tag(Timing.TAG)
class OpenModelClusterTest {
    static final String USER = """
            import io.locusttelemetry.engine.HttpUser;
            import io.locusttelemetry.engine.Task;

            public class Buyer extends HttpUser {
                @Task void buy() { client.get("/buy"); }
            }
            """;

    @Test
    void theRateIsSplitAgainWhenAWorkerIsKilled(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Buyer.java");
        Files.writeString(file, USER);
        int port = Ports.free();
        try (StallTarget target = StallTarget.start();
             JlocustProcess master = JlocustProcess.start(dir, "master", Map.of(), "-f", file.toString(), "--master",
                     "--master-bind-host", "127.0.0.1", "--master-bind-port", String.valueOf(port), "--expect-workers", "2",
                     "--arrival-rate", "400", "--max-users", "200", "-t", "32s", "--stop-timeout", "3", "-H", target.url(),
                     "--only-summary");
             JlocustProcess w0 = JlocustProcess.start(dir, "worker-a", Map.of(), "-f", file.toString(), "--worker",
                     "--master-port", String.valueOf(port));
             JlocustProcess w1 = JlocustProcess.start(dir, "worker-b", Map.of(), "-f", file.toString(), "--worker",
                     "--master-port", String.valueOf(port))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> master.output().contains("Sending an open model to 2 workers"));
            // each worker runs half: 200 a second, up to 100 users
            await().atMost(Duration.ofSeconds(10)).until(() -> w0.output().contains("Arrival rate: Buyer 200/s up to 100 users")
                    && w1.output().contains("Arrival rate: Buyer 200/s up to 100 users"));
            Thread.sleep(8000);
            long killedAt = target.uptimeMillis() / 1000;
            w0.kill();
            await().atMost(Duration.ofSeconds(12)).until(() -> master.output().contains("Sending an open model to 1 workers"));
            long resplitAt = target.uptimeMillis() / 1000;
            assertThat(resplitAt - killedAt).as(master.output()).isLessThanOrEqualTo(7);
            await().atMost(Duration.ofSeconds(5)).until(() -> w1.output().contains("Arrival rate: Buyer 400/s up to 200 users"));
            Thread.sleep(6000);
            Map<Long, Long> perSecond = target.servedPerSecond();
            System.out.println("killed at " + killedAt + " s, split again at " + resplitAt + " s; served per second: " + perSecond);
            // the two workers together before the kill (after their first seconds, which catch up on a cold start), the
            // survivor alone after the new split (whole seconds only)
            for (long s = killedAt - 4; s < killedAt; s++) {
                assertThat(perSecond.getOrDefault(s, 0L)).as("second " + s + ": " + perSecond).isBetween(340L, 460L);
            }
            for (long s = resplitAt + 2; s < resplitAt + 6; s++) {
                assertThat(perSecond.getOrDefault(s, 0L)).as("second " + s + ": " + perSecond).isBetween(340L, 460L);
            }
            assertThat(master.waitFor(60)).as(master.output()).isZero();
            assertThat(w1.waitFor(20)).as(w1.output()).isZero();
            assertThat(master.output()).contains("Iterations (open model): ");
        }
    }
}
