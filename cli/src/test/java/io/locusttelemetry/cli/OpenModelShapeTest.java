package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.testing.StallTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** k6's ramping arrival rate through a LoadTestShape: 0 to 500 iterations a second and back to 0, as the target sees it. */
@Tag(Timing.TAG)
class OpenModelShapeTest {
    static final String LOCUSTFILE = """
            import io.locusttelemetry.engine.HttpUser;
            import io.locusttelemetry.engine.LoadTestShape;
            import io.locusttelemetry.engine.Task;

            public class Ramp {
                public static class Buyer extends HttpUser {
                    @Task void buy() { client.get("/buy"); }
                }

                /** 0 to 500/s over 6 s, back to 0 over 6 s, then the end. */
                public static class UpAndDown extends LoadTestShape {
                    @Override
                    public Tick tick() {
                        double t = Math.floor(runTime());
                        if (t > 12) {
                            return null;
                        }
                        return arrivals(500 * (t <= 6 ? t : 12 - t) / 6);
                    }
                }
            }
            """;

    @Test
    void theRateFollowsTheShapeUpAndDown(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Ramp.java");
        Files.writeString(file, LOCUSTFILE);
        try (StallTarget target = StallTarget.start()) {
            String csv = dir.resolve("ramp").toString();
            Jlocust.Result r = Jlocust.run("-f", file.toString(), "-H", target.url(), "--stop-timeout", "5", "--only-summary",
                    "--csv", csv);
            String all = r.out() + r.err();
            assertThat(r.exitCode()).as(all).isZero();
            Map<String, String> iterations = OpenModelStallTest.row(Path.of(csv + "_iterations.csv"), "Aggregated");
            long scheduled = Long.parseLong(iterations.get("Scheduled"));
            // 83.3 a second more each second up to 500, then down: 3,000 in all
            assertThat(scheduled).as(all).isBetween(2700L, 3300L);
            assertThat(Long.parseLong(iterations.get("Dropped"))).isZero();
            assertThat(Long.parseLong(OpenModelStallTest.row(Path.of(csv + "_stats.csv"), "Aggregated").get("Request Count")))
                    .isEqualTo(target.served());

            List<Long> seconds = new ArrayList<>(target.servedPerSecond().values());
            System.out.println("served per second: " + seconds);
            int peak = 0;
            for (int i = 1; i < seconds.size(); i++) {
                peak = seconds.get(i) > seconds.get(peak) ? i : peak;
            }
            assertThat(seconds.get(peak)).as(seconds.toString()).isBetween(400L, 560L);
            // it climbs to the peak and falls from it, the first and last seconds well below it
            assertThat(seconds.get(0)).as(seconds.toString()).isLessThan(seconds.get(peak) / 2);
            assertThat(seconds.get(seconds.size() - 1)).as(seconds.toString()).isLessThan(seconds.get(peak) / 2);
            assertThat(peak).as(seconds.toString()).isBetween(3, seconds.size() - 4);
            long rising = seconds.get(peak - 2);
            long falling = seconds.get(peak + 2);
            assertThat(rising).as(seconds.toString()).isBetween(seconds.get(peak) / 3, seconds.get(peak) - 50);
            assertThat(falling).as(seconds.toString()).isBetween(seconds.get(peak) / 3, seconds.get(peak) - 50);
        }
    }
}
