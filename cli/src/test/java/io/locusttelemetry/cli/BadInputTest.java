package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each user mistake gives one clear line and the documented exit code, never a stack trace. */
class BadInputTest {
    private static final String OK_FILE = "../examples/locustfiles/WebsiteUser.java";

    private static void assertOneLine(Jlocust.Result r, int code, String text) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(code);
        assertThat(r.err().strip()).contains(text);
        assertThat(r.err().strip().lines().count()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unknownOption() {
        assertOneLine(Jlocust.run("-f", OK_FILE, "--no-such-option"), 2, "Unknown option: '--no-such-option'");
    }

    @Test
    void badDuration() {
        assertOneLine(Jlocust.run("-f", OK_FILE, "-t", "5x", "-H", "http://127.0.0.1:1"), 2, "Invalid --run-time value '5x'");
    }

    @Test
    void missingLocustfile() {
        assertOneLine(Jlocust.run("-f", "does-not-exist.java"), 1, "Could not find locustfile 'does-not-exist.java'");
    }

    @Test
    void locustfileThatDoesNotCompile() {
        Jlocust.Result r = Jlocust.run("-f", "src/test/resources/locustfiles/Broken.java");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).containsPattern("Broken\\.java:7: ';' expected");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void noUserClass() {
        assertOneLine(Jlocust.run("-f", "src/test/resources/locustfiles/NoUsers.java"), 1, "No User class found");
    }

    @Test
    void zeroUsers() {
        assertOneLine(Jlocust.run("-f", OK_FILE, "-u", "0"), 2, "Invalid --users 0");
    }

    @Test
    void notANumber() {
        assertOneLine(Jlocust.run("-f", OK_FILE, "-u", "many"), 2, "'many' is not an int");
    }

    @Test
    void badHost() {
        assertOneLine(Jlocust.run("-f", OK_FILE, "-H", "localhost:8080"), 2, "Invalid --host 'localhost:8080'");
    }

    @Test
    void unknownUserClass() {
        assertOneLine(Jlocust.run("-f", OK_FILE, "-H", "http://127.0.0.1:1", "NoSuchUser"), 2, "Unknown User(s): NoSuchUser");
    }

    @Test
    void unreachableHostCountsFailuresAndGoesOn() {
        Jlocust.Result r = Jlocust.run("-f", "src/test/resources/locustfiles/DelayUser.java", "-u", "2", "-r", "10", "-t", "2s",
                "-H", "http://127.0.0.1:1", "--only-summary");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("ConnectException").contains("Aggregated");
        assertThat(r.out()).containsPattern("delay-250\\s+\\d{2,}\\s+\\d+\\(100\\.00%\\)");
    }

    @Test
    void exitCodeOnErrorOverride() {
        Jlocust.Result r = Jlocust.run("-f", "src/test/resources/locustfiles/DelayUser.java", "-u", "1", "-t", "1s",
                "-H", "http://127.0.0.1:1", "--only-summary", "--exit-code-on-error", "7");
        assertThat(r.exitCode()).isEqualTo(7);
    }
}
