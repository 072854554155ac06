package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.testing.DelayTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json-file} and {@code --compare-to} against a target with a known delay: a second run
 * of the same load is no regression, a run against a target that got slower is one (exit 3), and
 * the JUnit XML says so as Surefire's own report reader reads it.
 */
class BaselineComparisonCliTest {
    private static final String WAITER = "src/test/resources/locustfiles/Waiter.java";

    @TempDir
    Path dir;

    private static Jlocust.Result run(DelayTarget target, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("-f", WAITER, "-H", target.url(), "-u", "20", "-r", "40", "-t", "4s",
                "--only-summary"));
        args.addAll(List.of(more));
        return Jlocust.run(args.toArray(String[]::new));
    }

    @Test
    void theSameLoadIsNoRegressionAndASlowerTargetIs() throws Exception {
        try (DelayTarget target = DelayTarget.start(300)) {
            // Locust's --json-file adds .json; a name that has it already keeps it
            Jlocust.Result baseline = run(target, "--json-file", dir.resolve("baseline").toString());
            assertThat(baseline.exitCode()).as(baseline.err()).isZero();
            Path file = dir.resolve("baseline.json");
            JsonNode rows = new ObjectMapper().readTree(file.toFile());
            assertThat(rows.isArray()).isTrue();
            assertThat(rows.get(0).get("name").asText()).isEqualTo("/wait");
            assertThat(rows.get(0).get("num_requests").asLong()).isGreaterThanOrEqualTo(100);

            Path again = dir.resolve("again.xml");
            Jlocust.Result same = run(target, "--compare-to", file.toString(), "--max-regression", "50%", "--junit-xml", again.toString());
            assertThat(same.exitCode()).as(same.out() + same.err()).isZero();
            assertThat(same.out()).contains("Compared with the baseline " + file + ", max regression 50%")
                    .containsPattern("GET /wait +3\\d0 -> 3\\d0 \\([-+]\\d+\\.\\d%\\)").doesNotContain("REGRESSION");
            ReportTestSuite passing = surefire(again);
            assertThat(passing.getNumberOfTests()).isEqualTo(3);
            assertThat(passing.getNumberOfFailures()).isZero();
            assertThat(passing.getTestCases()).extracting(ReportTestCase::getName)
                    .containsExactly("no request failed", "GET /wait: no regression over 50%", "Aggregated: no regression over 50%");

            target.delay(900);
            Path slower = dir.resolve("slower.xml");
            Path html = dir.resolve("slower.html");
            Jlocust.Result regressed = run(target, "--compare-to", file.toString(), "--max-regression", "50", "--junit-xml",
                    slower.toString(), "--html", html.toString());
            assertThat(regressed.exitCode()).as(regressed.out() + regressed.err()).isEqualTo(3);
            assertThat(regressed.out()).containsPattern("REGRESSION: GET /wait p50 regressed: 3\\d0 ms -> 9\\d0 ms \\(\\+\\d+\\.\\d%\\)")
                    .containsPattern("GET /wait +3\\d0 -> 9\\d0 \\(\\+\\d+\\.\\d%\\)");
            ReportTestSuite failing = surefire(slower);
            assertThat(failing.getFullClassName()).isEqualTo("jlocust.Waiter");
            assertThat(failing.getNumberOfFailures()).isEqualTo(2);
            ReportTestCase endpoint = failing.getTestCases().get(1);
            assertThat(endpoint.getFullClassName()).isEqualTo("jlocust.Waiter");
            assertThat(endpoint.getName()).isEqualTo("GET /wait: no regression over 50%");
            assertThat(endpoint.hasFailure()).isTrue();
            assertThat(endpoint.getFailureType()).isEqualTo("regression");
            assertThat(endpoint.getFailureMessage()).matches("GET /wait p50 regressed: 3\\d0 ms -> 9\\d0 ms \\(\\+\\d+\\.\\d%\\)(; .*)?");
            assertThat(Files.readString(html)).contains("<h2>Compared with the baseline</h2>").contains("data-regressions=\"")
                    .containsPattern("<td class=\"worse\" data-metric=\"p50\" data-change=\"\\d+\\.\\d\">3\\d0 -&gt; 9\\d0 \\(\\+\\d+\\.\\d%\\)</td>");
        }
    }

    @Test
    void aBaselineThatCannotBeReadIsOneLineAndExitTwoBeforeTheTest() throws Exception {
        try (DelayTarget target = DelayTarget.start(0)) {
            Path bad = Files.writeString(dir.resolve("bad.json"), "[{\"name\": \"/x\", \"num_requests\": -5}]");
            Jlocust.Result r = run(target, "--compare-to", bad.toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("Invalid --compare-to " + bad + ": stats[0].num_requests is negative (-5)");
            Jlocust.Result missing = run(target, "--max-regression", "10%");
            assertThat(missing.exitCode()).isEqualTo(2);
            assertThat(missing.err().strip()).isEqualTo("--max-regression 10% needs a baseline: add --compare-to FILE");
            assertThat(target.served()).isZero();
        }
    }

    static ReportTestSuite surefire(Path xml) throws Exception {
        TestSuiteXmlParser parser = new TestSuiteXmlParser(new NullConsoleLogger());
        List<ReportTestSuite> suites = parser.parse(xml.toString());
        assertThat(parser.isValid()).isTrue();
        assertThat(suites).hasSize(1);
        return suites.get(0);
    }
}
