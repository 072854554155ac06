package io.locusttelemetry.cli.internal;

import io.locusttelemetry.cli.RunSettings;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsHistory;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run leaves at its end: the final tables on the console (or {@code --json}), the HTML
 * report and the CSV files. Each is written on its own, so one that fails costs only itself.
 */
public final class FinalReport {
    private static final Logger log = LoggerFactory.getLogger("jlocust");

    private FinalReport() {}

    /**
     * @return one line per report that could not be written, naming it and the reason (empty when all were)
     */
    public static List<String> write(ConsoleOutput console, RunSettings settings, StatsSnapshot stats,
                                     List<StatsHistory.Point> history, List<Runner.ExceptionRecord> exceptions,
                                     Map<String, String> parameters) {
        List<String> failures = new ArrayList<>();
        if (settings.json()) {
            console.println(Text.wellFormed(JsonStats.render(stats)));
            if (console.out().checkError()) {
                failures.add("Could not write the --json statistics to stdout");
            }
        } else {
            console.printTable(stats, false);
            console.printLines(ConsoleStats.percentileTable(stats));
            console.printLines(ConsoleStats.intendedPercentileTable(stats));
            console.printLines(OpenModelSummary.lines(stats.iterations(), RequestStats.nowMicros() / 1e6 - stats.startTime()));
            console.printLines(ConsoleStats.errorReport(stats));
            console.printLines(ConsoleStats.exceptionReport(exceptions));
        }
        if (settings.htmlFile() != null) {
            try {
                HtmlReport.write(Path.of(settings.htmlFile()), parameters, stats, history, exceptions);
                log.info("HTML report written to {}", settings.htmlFile());
            } catch (IOException | RuntimeException e) {
                failures.add("Could not write the HTML report " + Text.escapeControl(settings.htmlFile()) + ": "
                        + (e instanceof IOException io ? ReportFiles.reason(io) : Text.escapeControl(e.toString())));
            }
        }
        if (settings.csvPrefix() != null) {
            failures.addAll(CsvReport.write(settings.csvPrefix(), stats, history, exceptions));
        }
        for (String f : failures) {
            log.error(f);
        }
        return failures;
    }
}
