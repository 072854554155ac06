package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user class that cannot be created is one line before the test; one user that cannot is a user error. */
class UserConstructorTest {
    private static final String FILE = "src/test/resources/locustfiles/Constructors.java";

    @Test
    void aConstructorThatThrowsIsOneLineBeforeTheTest() {
        long start = System.nanoTime();
        Jlocust.Result r = Jlocust.run("-f", FILE, "-u", "5", "-r", "5", "-t", "30s", "Throws");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("User class Constructors$Throws cannot be created: its constructor threw "
                + "java.lang.IllegalStateException: no test data in ./users.csv");
        assertThat(r.out()).doesNotContain("Aggregated");
        assertThat((System.nanoTime() - start) / 1e9).as("it does not wait for -t").isLessThan(20);
    }

    @Test
    void aClassWithoutConstructorWithoutArgumentsIsOneLine() {
        Jlocust.Result r = Jlocust.run("-f", FILE, "-t", "30s", "NeedsArgument");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("User class Constructors$NeedsArgument needs a constructor without arguments");
    }

    @Test
    void oneUserThatCannotBeCreatedIsAUserErrorAndTheOthersRun(@TempDir Path dir) throws Exception {
        String csv = dir.resolve("run").toString();
        try (JlocustProcess p = JlocustProcess.start(dir, "third", Map.of(), "-f", FILE, "-u", "5", "-r", "50", "-t", "3s",
                "--only-summary", "--csv", csv, "ThirdFails")) {
            int code = p.waitFor(60);
            String output = p.output();
            assertThat(code).as(output).isEqualTo(1);
            assertThat(output).contains("All 5 users spawned");
            List<String> logged = output.lines().filter(l -> l.contains("cannot be created")).toList();
            assertThat(logged).as(output).hasSize(1);
            assertThat(logged.get(0)).contains("User class Constructors$ThirdFails cannot be created: its constructor threw "
                    + "java.lang.IllegalStateException: the third user has no account").doesNotContain("\tat ");
            assertThat(output).doesNotContain("\tat ").doesNotContain("spawning users failed");
            assertThat(output).contains("Exception report").contains("the third user has no account");
            assertThat(Files.readString(Path.of(csv + "_exceptions.csv")))
                    .contains("1,java.lang.IllegalStateException: the third user has no account,");
            String aggregated = Files.readAllLines(Path.of(csv + "_stats.csv")).stream().filter(l -> l.contains("Aggregated")).findFirst()
                    .orElseThrow();
            assertThat(Long.parseLong(aggregated.split(",")[2])).as("requests").isGreaterThan(50);
        }
    }
}
