package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.testing.StallTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed against open model on a target that stalls for 1 s every 5 s, as a person would run
 * them: the closed model slows its own load in the stall and shows it only in its max; the open
 * model keeps its rate and shows the stall in its percentiles from the intended start, and drops
 * (and counts) what a small --max-users cannot start. Every run's request count is the target's own.
 */
@Tag(Timing.TAG)
class OpenModelStallTest {
    static final String USER = """
            import io.locusttelemetry.engine.HttpUser;
            import io.locusttelemetry.engine.Task;

            public class Checkout extends HttpUser {
                @Task void buy() { client.get("/buy"); }
            }
            """;

    @TempDir
    static Path dir;
    static Path locustfile;

    @BeforeAll
    static void writeLocustfile() throws Exception {
        locustfile = dir.resolve("Checkout.java");
        Files.writeString(locustfile, USER);
    }

    /** One run's figures, from its CSV files. */
    record Run(Jlocust.Result result, Map<String, String> stats, Map<String, String> intended, Map<String, String> iterations,
               long served, double seconds) {
        long requests() {
            return Long.parseLong(stats.get("Request Count"));
        }

        long col(Map<String, String> row, String name) {
            return (long) Double.parseDouble(row.get(name));
        }

        @Override
        public String toString() {
            return "stats " + stats + "\nintended " + intended + "\niterations " + iterations + "\nserved " + served + "\n"
                    + result.out() + result.err();
        }
    }

    static Run run(String name, String... options) throws Exception {
        try (StallTarget target = StallTarget.start(5000, 1000)) {
            String csv = dir.resolve(name).toString();
            List<String> args = new java.util.ArrayList<>(List.of("-f", locustfile.toString(), "-H", target.url(), "-t", "11s",
                    "--stop-timeout", "5", "--only-summary", "--csv", csv));
            args.addAll(List.of(options));
            long t0 = System.nanoTime();
            Jlocust.Result r = Jlocust.run(args.toArray(String[]::new));
            double seconds = (System.nanoTime() - t0) / 1e9;
            Run run = new Run(r, row(Path.of(csv + "_stats.csv"), "Aggregated"), row(Path.of(csv + "_intended_stats.csv"), "Aggregated"),
                    row(Path.of(csv + "_iterations.csv"), "Aggregated"), target.served(), seconds);
            System.out.println("== " + name + " " + String.join(" ", options) + "\n" + r.out());
            assertThat(r.exitCode()).as(run.toString()).isZero();
            // every request the generator counted is one the target answered, and the other way round
            assertThat(run.requests()).as(run.toString()).isEqualTo(target.served());
            return run;
        }
    }

    /** The CSV row named {@code name} as header to value; empty when the file is absent. */
    static Map<String, String> row(Path csv, String name) throws Exception {
        Map<String, String> out = new HashMap<>();
        if (!Files.exists(csv)) {
            return out;
        }
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            if (List.of(cells).contains(name)) {
                for (int i = 0; i < header.length && i < cells.length; i++) {
                    out.put(header[i], cells[i]);
                }
            }
        }
        return out;
    }

    @Test
    void closedModelShowsTheStallOnlyInItsMax() throws Exception {
        Run closed = run("closed", "-u", "20", "-r", "20");
        assertThat(closed.col(closed.stats(), "Max Response Time")).as(closed.toString()).isGreaterThanOrEqualTo(900);
        assertThat(closed.col(closed.stats(), "99%")).as(closed.toString()).isLessThan(300);
        assertThat(closed.col(closed.stats(), "95%")).as(closed.toString()).isLessThan(100);
        // no intended start without an arrival rate or pacing: no second table, no iterations
        assertThat(closed.intended()).isEmpty();
        assertThat(closed.iterations()).isEmpty();
        assertThat(closed.result().out()).doesNotContain("from the intended start").doesNotContain("Iterations (open model)");
    }

    @Test
    void openModelKeepsItsRateAndShowsTheStallFromTheIntendedStart() throws Exception {
        Run open = run("open", "--arrival-rate", "200", "--max-users", "500");
        assertThat(open.col(open.intended(), "95%")).as(open.toString()).isGreaterThanOrEqualTo(500);
        assertThat(open.col(open.intended(), "99%")).as(open.toString()).isGreaterThanOrEqualTo(800);
        assertThat(open.col(open.intended(), "Request Count")).isEqualTo(open.requests());
        assertThat(open.col(open.iterations(), "Dropped")).as(open.toString()).isZero();
        // 200 a second for the 11 s run, stalls or not
        assertThat(open.col(open.iterations(), "Scheduled")).as(open.toString()).isBetween(2100L, 2260L);
        assertThat(open.col(open.iterations(), "Started")).isEqualTo(open.requests());
        assertThat(open.result().out()).contains("Response time from the intended start, percentiles (approximated)")
                .contains("Iterations (open model): ");
    }

    @Test
    void aSmallMaxUsersDropsAndCountsWhatItCannotStart() throws Exception {
        Run small = run("small", "--arrival-rate", "200", "--max-users", "20");
        long dropped = small.col(small.iterations(), "Dropped");
        // each stall holds all 20 users for most of its second: about 180 of that second's 200 are dropped; two or
        // three stalls fall into the 11 s (the target's clock starts before the locustfile is compiled), and outside
        // them the 20 users start nearly every iteration
        long scheduled = small.col(small.iterations(), "Scheduled");
        assertThat(scheduled).as(small.toString()).isBetween(2100L, 2260L);
        assertThat(dropped).as(small.toString()).isBetween(150L, (long) (0.4 * scheduled));
        assertThat(small.col(small.iterations(), "Started") + dropped).isEqualTo(small.col(small.iterations(), "Scheduled"));
        assertThat(small.result().out()).containsPattern("Warning: \\d+ of \\d+ iterations \\([0-9.]+%\\) were dropped because every"
                + " user was busy at --max-users: the generator's user limit held the load back, not the system under test");
    }
}
