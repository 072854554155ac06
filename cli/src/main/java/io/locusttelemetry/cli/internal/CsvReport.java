package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.StatsHistory;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Locust's CSV files: {@code _stats}, {@code _failures}, {@code _exceptions}, {@code _stats_history}. */
public final class CsvReport {
    private CsvReport() {}

    /** A file's content, written line by line. */
    private interface Content {
        void writeTo(Writer w) throws IOException;
    }

    /**
     * Writes the four files, each on its own: one that fails does not keep the others from being
     * written.
     *
     * @return one line per file that could not be written (empty when all were)
     */
    public static List<String> write(String prefix, StatsSnapshot stats, List<StatsHistory.Point> history,
                                     List<Runner.ExceptionRecord> exceptions) {
        List<String> failures = new ArrayList<>();
        writeFile(prefix + "_stats.csv", failures, w -> stats(w, stats));
        writeFile(prefix + "_failures.csv", failures, w -> failures(w, stats));
        writeFile(prefix + "_exceptions.csv", failures, w -> exceptions(w, exceptions));
        writeFile(prefix + "_stats_history.csv", failures, w -> history(w, history));
        return failures;
    }

    /** {@code _stats.csv} as text (the web UI's download). */
    public static String stats(StatsSnapshot stats) {
        return render(w -> stats(w, stats));
    }

    /** {@code _failures.csv} as text. */
    public static String failures(StatsSnapshot stats) {
        return render(w -> failures(w, stats));
    }

    /** {@code _exceptions.csv} as text. */
    public static String exceptions(List<Runner.ExceptionRecord> exceptions) {
        return render(w -> exceptions(w, exceptions));
    }

    /** {@code _stats_history.csv} as text. */
    public static String history(List<StatsHistory.Point> history) {
        return render(w -> history(w, history));
    }

    private static String render(Content content) {
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            content.writeTo(w);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return w.toString();
    }

    private static List<String> percentileHeaders() {
        List<String> percentileHeaders = new ArrayList<>();
        for (double p : EntrySnapshot.PERCENTILES_TO_REPORT) {
            percentileHeaders.add(ConsoleStats.percentileLabel(p));
        }
        return percentileHeaders;
    }

    private static void stats(Writer w, StatsSnapshot stats) throws IOException {
        List<String> header = new ArrayList<>(List.of("Type", "Name", "Request Count", "Failure Count", "Median Response Time",
                "Average Response Time", "Min Response Time", "Max Response Time", "Average Content Size", "Requests/s", "Failures/s"));
        header.addAll(percentileHeaders());
        line(w, header);
        List<EntrySnapshot> rows = new ArrayList<>(stats.sortedEntries());
        rows.add(stats.total());
        for (EntrySnapshot e : rows) {
            List<String> cells = new ArrayList<>(List.of(e.method() == null ? "" : e.method(), e.name(),
                    String.valueOf(e.numRequests()), String.valueOf(e.numFailures()), num(e.medianResponseTime()),
                    num(e.avgResponseTime()), num(e.minResponseTime() == null ? 0 : e.minResponseTime()),
                    num(e.maxResponseTime()), num(e.avgContentLength()), num(stats.totalRps(e)), num(stats.totalFailPerSec(e))));
            for (double p : EntrySnapshot.PERCENTILES_TO_REPORT) {
                cells.add(e.numRequests() == 0 ? "N/A" : String.valueOf(e.percentile(p)));
            }
            line(w, cells);
        }
    }

    private static void failures(Writer w, StatsSnapshot stats) throws IOException {
        line(w, List.of("Method", "Name", "Error", "Occurrences"));
        List<ErrorSnapshot> errors = new ArrayList<>(stats.errors());
        errors.sort((a, b) -> Long.compare(b.occurrences(), a.occurrences()));
        for (ErrorSnapshot e : errors) {
            line(w, List.of(e.method(), e.name(), e.error(), String.valueOf(e.occurrences())));
        }
    }

    private static void exceptions(Writer w, List<Runner.ExceptionRecord> exceptions) throws IOException {
        line(w, List.of("Count", "Message", "Traceback", "Nodes"));
        for (Runner.ExceptionRecord e : exceptions) {
            line(w, List.of(String.valueOf(e.count()), e.message(), e.traceback(), String.join(", ", e.nodes())));
        }
    }

    private static void history(Writer w, List<StatsHistory.Point> history) throws IOException {
        List<String> header = new ArrayList<>(List.of("Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s"));
        header.addAll(percentileHeaders());
        header.addAll(List.of("Total Request Count", "Total Failure Count", "Total Median Response Time",
                "Total Average Response Time", "Total Min Response Time", "Total Max Response Time", "Total Average Content Size"));
        line(w, header);
        for (StatsHistory.Point p : history) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(p.timestamp()), String.valueOf(p.userCount()), "",
                    "Aggregated", num(p.currentRps()), num(p.currentFailPerSec())));
            for (long v : p.currentPercentiles()) {
                cells.add(p.totalRequests() == 0 ? "N/A" : String.valueOf(v));
            }
            cells.addAll(List.of(String.valueOf(p.totalRequests()), String.valueOf(p.totalFailures()),
                    num(p.medianResponseTime()), num(p.avgResponseTime()), num(p.minResponseTime()),
                    num(p.maxResponseTime()), num(p.avgContentLength())));
            line(w, cells);
        }
    }

    private static void writeFile(String file, List<String> failures, Content content) {
        try (Writer w = writer(file)) {
            content.writeTo(w);
        } catch (IOException | RuntimeException e) {
            failures.add("Could not write the CSV file " + Text.escapeControl(file) + ": "
                    + (e instanceof IOException io ? ReportFiles.reason(io) : Text.escapeControl(e.toString())));
        }
    }

    private static Writer writer(String file) throws IOException {
        return ReportFiles.writer(Path.of(file));
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }

    private static void line(Writer w, List<String> cells) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells.get(i) == null ? "" : cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        sb.append("\r\n");
        w.write(sb.toString());
    }
}
