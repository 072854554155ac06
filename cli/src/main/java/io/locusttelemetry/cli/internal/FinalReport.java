package io.locusttelemetry.cli.internal;

import io.locusttelemetry.cli.ResultChecks;
import io.locusttelemetry.cli.RunSettings;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsHistory;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run leaves at its end: the final tables on the console (or {@code --json}), the
 * thresholds and baseline comparison, the HTML report, the CSV files, the JUnit XML and the JSON
 * file. Each is written on its own, so one that fails costs only itself.
 */
public final class FinalReport {
    private static final Logger log = LoggerFactory.getLogger("jlocust");

    /**
     * A finished run's material.
     *
     * @param started when the test started
     * @param ended   when it ended
     */
    public record Run(StatsSnapshot stats, List<StatsHistory.Point> history, List<Runner.ExceptionRecord> exceptions,
                      Map<String, String> parameters, Verdict verdict, Instant started, Instant ended) {}

    private FinalReport() {}

    /**
     * @return one line per report that could not be written, naming it and the reason (empty when all were)
     */
    public static List<String> write(ConsoleOutput console, RunSettings settings, Run run) {
        List<String> failures = new ArrayList<>();
        ResultChecks checks = settings.checks();
        StatsSnapshot stats = run.stats();
        List<String> verdictLines = new ArrayList<>(VerdictTables.thresholdTable(run.verdict()));
        List<String> comparison = VerdictTables.comparisonTable(run.verdict(), checks.compareTo());
        if (!comparison.isEmpty()) {
            if (!verdictLines.isEmpty()) {
                verdictLines.add("");
            }
            verdictLines.addAll(comparison);
        }
        if (settings.json()) {
            console.println(Text.wellFormed(JsonStats.render(stats, run.verdict())));
            if (console.out().checkError()) {
                failures.add("Could not write the --json statistics to stdout");
            }
        } else {
            console.printTable(stats, false);
            console.printLines(ConsoleStats.percentileTable(stats));
            console.printLines(ConsoleStats.intendedPercentileTable(stats));
            console.printLines(OpenModelSummary.lines(stats.iterations(), RequestStats.nowMicros() / 1e6 - stats.startTime()));
            console.printLines(ConsoleStats.errorReport(stats));
            console.printLines(ConsoleStats.exceptionReport(run.exceptions()));
            console.printLines(verdictLines);
        }
        if (settings.htmlFile() != null) {
            try {
                HtmlReport.write(Path.of(settings.htmlFile()), run.parameters(), stats, run.history(), run.exceptions(), run.verdict(),
                        checks.compareTo());
                log.info("HTML report written to {}", settings.htmlFile());
            } catch (IOException | RuntimeException e) {
                failures.add(failure("the HTML report", settings.htmlFile(), e));
            }
        }
        if (settings.csvPrefix() != null) {
            failures.addAll(CsvReport.write(settings.csvPrefix(), stats, run.history(), run.exceptions()));
        }
        if (checks.junitXmlFile() != null) {
            try {
                List<String> output = new ArrayList<>(ConsoleStats.statsTable(stats, false));
                output.add("");
                output.addAll(verdictLines);
                double seconds = Duration.between(run.started(), run.ended()).toMillis() / 1000.0;
                JUnitXmlReport.write(Path.of(checks.junitXmlFile()), suiteName(run.parameters()), run.started(), seconds, run.parameters(),
                        run.verdict(), stats, run.exceptions(), output);
                log.info("JUnit XML report written to {}", checks.junitXmlFile());
            } catch (IOException | RuntimeException e) {
                failures.add(failure("the JUnit XML report", checks.junitXmlFile(), e));
            }
        }
        if (checks.jsonFile() != null) {
            try (Writer w = ReportFiles.writer(Path.of(checks.jsonFile()))) {
                w.write(JsonStats.render(stats));
                w.write('\n');
                log.info("Statistics written to {}", checks.jsonFile());
            } catch (IOException | RuntimeException e) {
                failures.add(failure("the JSON file", checks.jsonFile(), e));
            }
        }
        for (String f : failures) {
            log.error(f);
        }
        return failures;
    }

    private static String failure(String what, String file, Exception e) {
        return "Could not write " + what + " " + Text.escapeControl(file) + ": "
                + (e instanceof IOException io ? ReportFiles.reason(io) : Text.escapeControl(e.toString()));
    }

    /** The test suite's name: the locustfile's name without folder and extension ({@code Checkout}), else {@code loadtest}. */
    public static String suiteName(Map<String, String> parameters) {
        String source = parameters.getOrDefault("Locustfile", "");
        String first = source.split(",")[0].strip();
        String base = first.replaceAll("[/\\\\]+$", "");
        base = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1);
        if (base.endsWith(".java") || base.endsWith(".jar")) {
            base = base.substring(0, base.lastIndexOf('.'));
        }
        base = base.replaceAll("[^A-Za-z0-9_$.-]", "_");
        return base.isEmpty() ? "loadtest" : base;
    }
}
