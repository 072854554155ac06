package io.locusttelemetry.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.locusttelemetry.cli.demo.DemoTarget;
import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.Threshold;
import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoadTest in a test's JVM against the embedded demo shop: statistics, thresholds, errors and reports. */
class LoadTestTest {
    static DemoTarget shop;
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @BeforeAll
    static void startShop() throws Exception {
        shop = DemoTarget.start();
    }

    @AfterAll
    static void stopShop() {
        shop.close();
    }

    @Threshold("fail_ratio<50%")
    public static class Browse extends HttpUser {
        public Browse() {
            waitTime(constant(0.05));
        }

        @Task
        void index() {
            client.get("/");
        }
    }

    static LoadTest browse() {
        return LoadTest.of(Browse.class).host(shop.url()).users(4).spawnRate(20).runTime(Duration.ofSeconds(2)).out(QUIET);
    }

    @Test
    void aTestHoldsItsThresholdsAndGivesItsStatistics() {
        long before = shop.requestCount();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        LoadTestResult r = browse().threshold("p95<5000", "GET /: requests>0").out(new PrintStream(console, true, StandardCharsets.UTF_8))
                .run();
        assertThat(r.thresholdsPassed()).as(r.summary()).isTrue();
        assertThat(r.exitCode()).isZero();
        assertThat(r.thresholds()).extracting(o -> o.threshold().text()).containsExactly("p95<5000", "GET /: requests>0", "fail_ratio<50%");
        assertThat(r.thresholds()).allMatch(o -> o.margin() > 0);
        assertThat(r.total().numRequests()).isPositive().isEqualTo(r.endpoint("GET /").numRequests()).isEqualTo(r.endpoint("/").numRequests());
        assertThat(shop.requestCount() - before).isEqualTo(r.total().numRequests());
        assertThat(r.totalRps()).isPositive();
        assertThat(r.duration()).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(20));
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("Thresholds: all 3 passed").contains("Aggregated");
        assertThatThrownBy(() -> r.endpoint("GET /nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no requests named 'GET /nope' (the test made: GET /)");
        r.assertThresholdsPassed();
    }

    @Test
    void aFailedThresholdGivesItsLineAndAnAssertionError() {
        LoadTestResult r = browse().threshold("max<0").run();
        assertThat(r.thresholdsPassed()).isFalse();
        assertThat(r.exitCode()).isEqualTo(3);
        ThresholdOutcome failed = r.thresholds().get(0);
        assertThat(failed.passed()).isFalse();
        assertThat(failed.margin()).isNegative();
        assertThat(r.failures()).singleElement().asString().startsWith("threshold max<0 failed: ");
        assertThatThrownBy(r::assertThresholdsPassed).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("the load test failed 1 check(s):\n  threshold max<0 failed: ");
    }

    @Test
    void abortOnFailEndsTheTestAtTheFirstFailingEvaluation() {
        LoadTestResult r = browse().runTime(Duration.ofMinutes(1)).threshold("max<0 abort-on-fail").run();
        assertThat(r.abortedBy()).hasValueSatisfying(o -> assertThat(o.threshold().text()).isEqualTo("max<0 abort-on-fail"));
        assertThat(r.duration()).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void mistakesAreOneLineExceptionsWhereTheyAreMade() {
        assertThatThrownBy(() -> browse().threshold("p95<")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold 'p95<': expected a number at column 5");
        assertThatThrownBy(() -> browse().users(0).run()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid --users 0: it must be at least 1");
        assertThatThrownBy(() -> browse().option("usres", "5").run()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown option 'usres'");
        assertThatThrownBy(() -> browse().option("processes", "2").run()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A test in this JVM runs standalone: --processes is for the jlocust command");
        assertThatThrownBy(() -> LoadTest.locustfile(Path.of("no/such/File.java")).run()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Could not find locustfile 'no/such/File.java'. Make sure it exists.");
    }

    @Test
    void aLocustfileIsCompiledAndEveryReportIsWritten(@TempDir Path dir) throws Exception {
        LoadTestResult r = LoadTest.locustfile(Path.of("src/test/resources/QuickShopper.java")).host(shop.url()).users(3).spawnRate(10)
                .runTime(Duration.ofSeconds(2)).out(QUIET).run();
        assertThat(r.thresholds()).extracting(o -> o.threshold().text() + " " + o.passed()).containsExactly("requests>0 true");
        assertThat(r.endpoint("GET /api/items/[id]").numRequests()).isPositive();
        r.writeHtml(dir.resolve("r.html"));
        r.writeJUnitXml(dir.resolve("r.xml"));
        r.writeJson(dir.resolve("r.json"));
        r.writeCsv(dir.resolve("r").toString());
        assertThat(Files.readString(dir.resolve("r.html"))).contains("<h2>Service level objectives</h2>");
        assertThat(Files.readString(dir.resolve("r.json"))).startsWith("[").contains("\"/api/items/[id]\"");
        assertThat(dir.resolve("r_stats.csv")).exists();
        List<ReportTestSuite> suites = new TestSuiteXmlParser(new NullConsoleLogger()).parse(dir.resolve("r.xml").toString());
        assertThat(suites.get(0).getFullClassName()).isEqualTo("jlocust.QuickShopper");
        assertThat(suites.get(0).getNumberOfTests()).isEqualTo(1);
        assertThat(suites.get(0).getNumberOfFailures()).isZero();

        LoadTestResult compared = LoadTest.locustfile(Path.of("src/test/resources/QuickShopper.java")).host(shop.url()).users(3)
                .spawnRate(10).runTime(Duration.ofSeconds(2)).compareTo(dir.resolve("r.json")).maxRegression(1000).out(QUIET).run();
        assertThat(compared.comparison()).isPresent();
        assertThat(compared.comparison().get().rows()).extracting(row -> row.label()).contains("GET /", "Aggregated");
        assertThat(compared.regressions()).isEmpty();
        assertThat(Map.of("exit", compared.exitCode())).containsEntry("exit", 0);
    }
}
