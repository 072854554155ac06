package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop signal to a real jlocust process ends the run as its run time would: the final tables,
 * the reports and the telemetry are written, and the process's status is the one the run
 * computed (not 128 + the signal), the same in every run, and the one the log names.
 */
class SignalExitTest {
    private static final String FILE = "src/test/resources/locustfiles/Outcomes.java";
    private static final Pattern SHUTTING_DOWN = Pattern.compile("Shutting down \\(exit code (\\d+)\\)");

    @Test
    void sigtermAfterFailedRequestsExitsWithOneEveryTime(@TempDir Path dir) throws Exception {
        assertThat(runs(dir, "TERM", 3, "Failing")).containsExactly(1, 1, 1);
    }

    @Test
    void sigintAfterFailedRequestsExitsWithOneEveryTime(@TempDir Path dir) throws Exception {
        assertThat(runs(dir, "INT", 3, "Failing")).containsExactly(1, 1, 1);
    }

    @Test
    void aSignalToAPassingRunExitsWithZero(@TempDir Path dir) throws Exception {
        assertThat(runs(dir, "TERM", 1, "Passing")).containsExactly(0);
        assertThat(runs(dir, "INT", 1, "Passing")).containsExactly(0);
    }

    @Test
    void aSignalAfterAFailedCheckExitsWithThree(@TempDir Path dir) throws Exception {
        assertThat(runs(dir, "TERM", 1, "Passing", "--check-rps", "1000000")).containsExactly(3);
    }

    @Test
    void aWorkerStoppedBySignalExitsWithItsOwnCode(@TempDir Path dir) throws Exception {
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (JlocustProcess p = JlocustProcess.start(dir, "worker-" + i, Map.of(), "-f", FILE, "--worker", "--master-port",
                    String.valueOf(Ports.free()), "Passing")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> p.output().contains("Connecting to the master"));
                signal(p, "TERM");
                int code = p.waitFor(60);
                assertThat(loggedExitCode(p.output())).as(p.output()).isEqualTo(code);
                codes.add(code);
            }
        }
        assertThat(codes).containsExactly(0, 0);
    }

    /** Runs the test {@code times} times, each stopped by {@code signal} while it runs; returns the exit codes. */
    private static List<Integer> runs(Path dir, String signal, int times, String... args) throws Exception {
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            Path run = Files.createDirectories(dir.resolve(signal + "-" + String.join("-", args) + "-" + i));
            List<String> command = new ArrayList<>(List.of("-f", FILE, "-u", "2", "-r", "20", "-t", "120s",
                    "--csv", run.resolve("run").toString(), "--html", run.resolve("report.html").toString(),
                    "--enable-telemetry-recorder", "json", "--testplan", "signals", "--lt-json-output",
                    run.resolve("telemetry.jsonl").toString()));
            command.addAll(List.of(args));
            try (JlocustProcess p = JlocustProcess.start(run, "jlocust", Map.of(), command.toArray(new String[0]))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> p.output().contains("All 2 users spawned"));
                Thread.sleep(500);
                signal(p, signal);
                int code = p.waitFor(60);
                String output = p.output();
                assertThat(output).as("the final tables").contains("Response time percentiles (approximated)");
                assertThat(output).contains("Got a stop signal, shutting down");
                assertThat(loggedExitCode(output)).as(output).isEqualTo(code);
                assertThat(Files.readString(run.resolve("run_stats.csv"))).contains("Aggregated");
                assertThat(Files.readString(run.resolve("report.html"))).contains("</html>");
                assertThat(Files.readString(run.resolve("telemetry.jsonl"))).contains("locust.tl.event.test.stop");
                codes.add(code);
            }
        }
        return codes;
    }

    private static void signal(JlocustProcess p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.process().pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** The code of the one "Shutting down (exit code N)" line. */
    private static int loggedExitCode(String output) {
        Matcher m = SHUTTING_DOWN.matcher(output);
        List<Integer> codes = new ArrayList<>();
        while (m.find()) {
            codes.add(Integer.parseInt(m.group(1)));
        }
        assertThat(codes).as(output).hasSize(1);
        return codes.get(0);
    }
}
