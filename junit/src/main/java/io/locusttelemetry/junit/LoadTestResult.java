package io.locusttelemetry.junit;

import io.locusttelemetry.cli.RunResult;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.StatsComparison;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.thresholds.Endpoints;
import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link LoadTest} measured and how its thresholds came out, with the writers of the
 * command's reports. Immutable.
 */
public final class LoadTestResult {
    private final RunResult result;

    LoadTestResult(RunResult result) {
        this.result = result;
    }

    /** Every endpoint's statistics and the total, as the final stats table shows them. */
    public StatsSnapshot stats() {
        return result.stats();
    }

    /** The total over every endpoint ({@code Aggregated}). */
    public EntrySnapshot total() {
        return result.stats().total();
    }

    /**
     * One endpoint's statistics, by the name the stats table shows: {@code "GET /cart"}, or {@code "/cart"}
     * when one method uses it.
     *
     * @throws IllegalArgumentException when the test made no such request, naming the endpoints it did make
     */
    public EntrySnapshot endpoint(String name) {
        Endpoints.Match m = Endpoints.find(result.stats(), name);
        if (m.entry() == null) {
            List<String> known = new ArrayList<>();
            result.stats().sortedEntries().forEach(e -> known.add(e.method() + " " + e.name()));
            throw new IllegalArgumentException(m.problem() + " (the test made: " + String.join(", ", known) + ")");
        }
        return m.entry();
    }

    /** The requests per second of the total over the run. */
    public double totalRps() {
        return result.stats().totalRps(total());
    }

    /** Each threshold's outcome: measured value, passed, margin. */
    public List<ThresholdOutcome> thresholds() {
        return result.thresholds();
    }

    /** Whether every threshold held (true when there was none). */
    public boolean thresholdsPassed() {
        return result.thresholdsPassed();
    }

    /** The abort-on-fail threshold that stopped the test early. */
    public Optional<ThresholdOutcome> abortedBy() {
        return result.abortedBy();
    }

    /** The comparison with the baseline of {@link LoadTest#compareTo}. */
    public Optional<StatsComparison> comparison() {
        return result.comparison();
    }

    /** What got worse than the baseline by more than {@link LoadTest#maxRegression}. */
    public List<StatsComparison.Regression> regressions() {
        return result.regressions();
    }

    /** The exceptions the users' tasks raised. */
    public List<Runner.ExceptionRecord> exceptions() {
        return result.exceptions();
    }

    /** The exit code {@code jlocust} would end with: 0, 1 (a request failed), 2 (a report failed), 3 (a threshold or regression). */
    public int exitCode() {
        return result.exitCode();
    }

    /** One line per failed threshold and regression. */
    public List<String> failures() {
        return result.failures();
    }

    public Duration duration() {
        return result.duration();
    }

    /**
     * A summary for an assertion's message: requests, failures, rps, then each threshold's line
     * and each regression.
     */
    public String summary() {
        EntrySnapshot t = total();
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%d requests, %d failed, %.1f/s, p95 %d ms",
                t.numRequests(), t.numFailures(), totalRps(), t.percentile(0.95)));
        for (ThresholdOutcome o : thresholds()) {
            sb.append("\n  ").append(o.summary());
        }
        for (StatsComparison.Regression r : regressions()) {
            sb.append("\n  ").append(r.summary());
        }
        return sb.toString();
    }

    /**
     * Fails with an {@link AssertionError} listing every failed threshold and regression, for tests
     * that use no assertion library.
     */
    public LoadTestResult assertThresholdsPassed() {
        if (!result.failures().isEmpty()) {
            throw new AssertionError("the load test failed " + result.failures().size() + " check(s):\n  "
                    + String.join("\n  ", result.failures()));
        }
        return this;
    }

    /** Writes the HTML report. */
    public void writeHtml(Path file) throws IOException {
        result.writeHtml(file);
    }

    /** Writes the JUnit XML report: one test case per threshold. */
    public void writeJUnitXml(Path file) throws IOException {
        result.writeJUnitXml(file);
    }

    /** Writes the final statistics in Locust's JSON format, a baseline for {@link LoadTest#compareTo}. */
    public void writeJson(Path file) throws IOException {
        result.writeJson(file);
    }

    /** Writes Locust's four CSV files, {@code prefix_stats.csv} and the others. */
    public void writeCsv(String prefix) throws IOException {
        result.writeCsv(prefix);
    }

    @Override
    public String toString() {
        return summary();
    }
}
