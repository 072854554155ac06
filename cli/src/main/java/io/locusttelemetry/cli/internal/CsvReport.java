package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.StatsHistory;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Locust's CSV files: {@code _stats}, {@code _failures}, {@code _exceptions}, {@code _stats_history}. */
public final class CsvReport {
    private CsvReport() {}

    public static void write(String prefix, StatsSnapshot stats, List<StatsHistory.Point> history,
                             List<Runner.ExceptionRecord> exceptions) throws IOException {
        double[] ps = EntrySnapshot.PERCENTILES_TO_REPORT;
        List<String> percentileHeaders = new ArrayList<>();
        for (double p : ps) {
            percentileHeaders.add(ConsoleStats.percentileLabel(p));
        }
        try (Writer w = writer(prefix + "_stats.csv")) {
            List<String> header = new ArrayList<>(List.of("Type", "Name", "Request Count", "Failure Count", "Median Response Time",
                    "Average Response Time", "Min Response Time", "Max Response Time", "Average Content Size", "Requests/s", "Failures/s"));
            header.addAll(percentileHeaders);
            line(w, header);
            List<EntrySnapshot> rows = new ArrayList<>(stats.sortedEntries());
            rows.add(stats.total());
            for (EntrySnapshot e : rows) {
                List<String> cells = new ArrayList<>(List.of(e.method() == null ? "" : e.method(), e.name(),
                        String.valueOf(e.numRequests()), String.valueOf(e.numFailures()), num(e.medianResponseTime()),
                        num(e.avgResponseTime()), num(e.minResponseTime() == null ? 0 : e.minResponseTime()),
                        num(e.maxResponseTime()), num(e.avgContentLength()), num(stats.totalRps(e)), num(stats.totalFailPerSec(e))));
                for (double p : ps) {
                    cells.add(e.numRequests() == 0 ? "N/A" : String.valueOf(e.percentile(p)));
                }
                line(w, cells);
            }
        }
        try (Writer w = writer(prefix + "_failures.csv")) {
            line(w, List.of("Method", "Name", "Error", "Occurrences"));
            List<ErrorSnapshot> errors = new ArrayList<>(stats.errors());
            errors.sort((a, b) -> Long.compare(b.occurrences(), a.occurrences()));
            for (ErrorSnapshot e : errors) {
                line(w, List.of(e.method(), e.name(), e.error(), String.valueOf(e.occurrences())));
            }
        }
        try (Writer w = writer(prefix + "_exceptions.csv")) {
            line(w, List.of("Count", "Message", "Traceback", "Nodes"));
            for (Runner.ExceptionRecord e : exceptions) {
                line(w, List.of(String.valueOf(e.count()), e.message(), e.traceback(), String.join(", ", e.nodes())));
            }
        }
        try (Writer w = writer(prefix + "_stats_history.csv")) {
            List<String> header = new ArrayList<>(List.of("Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s"));
            header.addAll(percentileHeaders);
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
    }

    private static Writer writer(String file) throws IOException {
        Path p = Path.of(file);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        return Files.newBufferedWriter(p, StandardCharsets.UTF_8);
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
