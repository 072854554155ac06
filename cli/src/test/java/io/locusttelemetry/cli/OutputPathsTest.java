package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output paths are checked before the test, none of their folders is created, and a report that
 * cannot be written at the end makes the exit status non-zero with one line naming it.
 */
class OutputPathsTest {
    private static final String FILE = "src/test/resources/locustfiles/Outcomes.java";

    private static void assertRefused(Jlocust.Result r, String... texts) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains(texts).doesNotContain("\tat ").doesNotContain("unexpected error");
        assertThat(r.out()).doesNotContain("Aggregated");
    }

    @Test
    void aParentThatIsAFileIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--csv", file.resolve("run").toString(), "Passing"),
                "Cannot write --csv", "plain is not a directory (Not a directory)");
        assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--html", file.resolve("r.html").toString(), "Passing"),
                "Cannot write --html", "Not a directory");
        assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--logfile", file.resolve("a/b.log").toString(), "Passing"),
                "Cannot write --logfile", "Not a directory");
        assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--enable-telemetry-recorder", "json", "--testplan", "t",
                "--lt-json-output", file.resolve("t.jsonl").toString(), "Passing"), "Cannot write --lt-json-output", "Not a directory");
    }

    @Test
    void noMissingFolderIsCreated(@TempDir Path dir) {
        Path missing = dir.resolve("missing");
        assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--logfile", missing.resolve("jlocust.log").toString(), "Passing"),
                "Cannot write --logfile", "the folder " + missing + " does not exist");
        assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--enable-telemetry-recorder", "json", "--testplan", "t",
                "--lt-json-output", missing.resolve("deeper/t.jsonl").toString(), "Passing"), "Cannot write --lt-json-output",
                "does not exist");
        assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--html", missing.resolve("r.html").toString(), "Passing"), "does not exist");
        assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--csv", missing.resolve("run").toString(), "Passing"), "does not exist");
        assertThat(missing).doesNotExist();

        Path atRoot = Path.of("/jlocust-missing-" + UUID.randomUUID());
        try {
            assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--logfile", atRoot.resolve("x.log").toString(), "Passing"),
                    "does not exist");
            assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--enable-telemetry-recorder", "json", "--testplan", "t",
                    "--lt-json-output", atRoot.resolve("t.jsonl").toString(), "Passing"), "does not exist");
            assertThat(atRoot).doesNotExist();
        } finally {
            atRoot.resolve("x.log").toFile().delete();
            atRoot.resolve("t.jsonl").toFile().delete();
            atRoot.toFile().delete();
        }
    }

    @Test
    void aDirectoryIsNoFileName(@TempDir Path dir) {
        assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--html", dir.toString(), "Passing"), "is a directory");
        assertRefused(Jlocust.run("-f", FILE, "-t", "30s", "--logfile", dir.toString(), "Passing"), "is a directory");
    }

    @Test
    void aReportThatCannotBeWrittenAtTheEndFailsTheRunAndSaysWhich(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        try (JlocustProcess p = JlocustProcess.start(dir, "late", Map.of(), "-f", FILE, "-u", "1", "-t", "4s", "--only-summary",
                "--html", out.resolve("report.html").toString(), "--csv", out.resolve("run").toString(), "Passing")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> p.output().contains("All 1 users spawned"));
            Files.delete(out);
            int code = p.waitFor(60);
            String output = p.output();
            assertThat(code).as(output).isEqualTo(2);
            List<String> html = output.lines().filter(l -> l.contains("Could not write the HTML report")).toList();
            assertThat(html).as(output).hasSize(1);
            assertThat(html.get(0)).contains(out.resolve("report.html").toString());
            assertThat(output.lines().filter(l -> l.contains("Could not write the CSV file")).count()).as(output).isEqualTo(4);
            assertThat(output).contains("Shutting down (exit code 2)").doesNotContain("\tat ");
        }
    }
}
