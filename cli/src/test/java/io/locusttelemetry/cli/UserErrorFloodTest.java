package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user that throws on every task does not flood the log: the same error is logged a few times,
 * then once in a while with how many more were held back; the exceptions table counts every one.
 */
class UserErrorFloodTest {

    @Test
    void repeatedErrorsAreRateLimitedWithTheirCount(@TempDir Path dir) throws Exception {
        String prefix = dir.resolve("run").toString();
        try (JlocustProcess p = JlocustProcess.start(dir, "jlocust", Map.of(), "-f", "src/test/resources/locustfiles/Thrower.java",
                "-u", "2", "-r", "10", "-t", "3s", "--csv", prefix, "--only-summary")) {
            assertThat(p.waitFor(60)).as(p.output()).isEqualTo(1);
            List<String> errorLines = p.output().lines().filter(l -> l.contains("IllegalStateException in Thrower")).toList();
            List<String> exceptions = Files.readAllLines(Path.of(prefix + "_exceptions.csv"));
            long counted = Long.parseLong(exceptions.get(1).split(",")[0]);
            System.out.printf("%d exceptions, %d log lines about them%n", counted, errorLines.size());
            assertThat(counted).as("the exceptions table counts every one").isGreaterThan(1000);
            assertThat(errorLines.size()).as(String.join("\n", errorLines)).isBetween(5, 10);
            assertThat(errorLines).anyMatch(l -> l.matches(".*always broken \\(\\d+ more like it held back.*"));
        }
    }
}
