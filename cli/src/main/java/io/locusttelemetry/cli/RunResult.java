package io.locusttelemetry.cli;

import io.locusttelemetry.cli.internal.CsvReport;
import io.locusttelemetry.cli.internal.FinalReport;
import io.locusttelemetry.cli.internal.HtmlReport;
import io.locusttelemetry.cli.internal.JUnitXmlReport;
import io.locusttelemetry.cli.internal.JsonStats;
import io.locusttelemetry.cli.internal.ReportFiles;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.StatsComparison;
import io.locusttelemetry.engine.stats.StatsHistory;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished {@link TestRun} measured and how it was judged: the final statistics, the
 * thresholds' outcomes, the comparison with a baseline, the exit status, and writers of the reports
 * the command writes (HTML, CSV, JUnit XML, JSON). Immutable.
 */
public final class RunResult {
    private final int exitCode;
    private final FinalReport.Run run;
    private final ResultChecks checks;
    private final List<String> failures;
    private final List<String> reportFailures;

    RunResult(int exitCode, FinalReport.Run run, ResultChecks checks, List<String> failures, List<String> reportFailures) {
        this.exitCode = exitCode;
        this.run = run;
        this.checks = checks;
        this.failures = List.copyOf(failures);
        this.reportFailures = List.copyOf(reportFailures);
    }

    /** The exit status the command would end with: 0, 1 (requests failed), 2 (run or report failed), 3 (a threshold failed). */
    public int exitCode() {
        return exitCode;
    }

    /** The final statistics: every endpoint and the total. */
    public StatsSnapshot stats() {
        return run.stats();
    }

    /** The statistics over time, one point per second. */
    public List<StatsHistory.Point> history() {
        return run.history();
    }

    /** The exceptions the users' tasks raised. */
    public List<Runner.ExceptionRecord> exceptions() {
        return run.exceptions();
    }

    /** Each threshold's outcome, in the order given. */
    public List<ThresholdOutcome> thresholds() {
        return run.verdict().thresholds();
    }

    /** Whether every threshold held (true without thresholds). */
    public boolean thresholdsPassed() {
        return ThresholdOutcome.allPassed(thresholds());
    }

    /** The abort-on-fail threshold that stopped the test early. */
    public Optional<ThresholdOutcome> abortedBy() {
        return Optional.ofNullable(run.verdict().abortedBy());
    }

    /** The comparison with the baseline ({@code --compare-to}). */
    public Optional<StatsComparison> comparison() {
        return Optional.ofNullable(run.verdict().comparison());
    }

    /** What got worse than the baseline by more than {@code --max-regression}. */
    public List<StatsComparison.Regression> regressions() {
        return run.verdict().regressions();
    }

    /** One line per failed threshold and regression (empty when the run passed its checks). */
    public List<String> failures() {
        return failures;
    }

    /** One line per report that could not be written. */
    public List<String> reportFailures() {
        return reportFailures;
    }

    /** The run's parameters as the HTML report lists them (host, users, run time, ...). */
    public Map<String, String> parameters() {
        return run.parameters();
    }

    public Instant started() {
        return run.started();
    }

    public Duration duration() {
        return Duration.between(run.started(), run.ended());
    }

    /** Writes the HTML report (as {@code --html}). */
    public void writeHtml(Path file) throws IOException {
        HtmlReport.write(file, run.parameters(), run.stats(), run.history(), run.exceptions(), run.verdict(), checks.compareTo());
    }

    /** Writes the JUnit XML report (as {@code --junit-xml}). */
    public void writeJUnitXml(Path file) throws IOException {
        JUnitXmlReport.write(file, FinalReport.suiteName(run.parameters()), run.started(), duration().toMillis() / 1000.0,
                run.parameters(), run.verdict(), run.stats(), run.exceptions(), List.of());
    }

    /** Writes the final statistics in Locust's JSON format (as {@code --json-file}), a baseline for a later comparison. */
    public void writeJson(Path file) throws IOException {
        try (Writer w = ReportFiles.writer(file)) {
            w.write(JsonStats.render(run.stats()));
            w.write('\n');
        }
    }

    /**
     * Writes Locust's CSV files (as {@code --csv PREFIX}).
     *
     * @throws IOException naming the files that could not be written
     */
    public void writeCsv(String prefix) throws IOException {
        List<String> failed = CsvReport.write(prefix, run.stats(), run.history(), run.exceptions());
        if (!failed.isEmpty()) {
            throw new IOException(String.join("; ", failed));
        }
    }
}
