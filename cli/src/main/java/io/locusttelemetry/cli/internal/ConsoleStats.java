package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Locust's console tables: request statistics, response time percentiles, errors and exceptions.
 * Names and messages come from users' code: control characters in them are escaped
 * ({@link Text#escapeControl}), so that one entry is one row and nothing reaches the terminal raw.
 */
public final class ConsoleStats {
    private static final int TYPE_WIDTH = 8;
    private static final int NAME_WIDTH = 80;

    private ConsoleStats() {}

    /** The statistics table; {@code current} uses the last ~10 s rates, else the whole run's. */
    public static List<String> statsTable(StatsSnapshot stats, boolean current) {
        int nameWidth = NAME_WIDTH - TYPE_WIDTH + 4;
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%-" + TYPE_WIDTH + "s %-" + nameWidth + "s %7s %12s |%7s %7s %7s%7s | %7s %11s",
                "Type", "Name", "# reqs", "# fails", "Avg", "Min", "Max", "Med", "req/s", "failures/s"));
        String sep = "-".repeat(TYPE_WIDTH) + "|" + "-".repeat(nameWidth) + "|" + "-".repeat(7) + "|" + "-".repeat(13) + "|"
                + "-".repeat(7) + "|" + "-".repeat(7) + "|" + "-".repeat(7) + "|" + "-".repeat(7) + "|" + "-".repeat(8) + "|"
                + "-".repeat(11);
        out.add(sep);
        for (EntrySnapshot e : stats.sortedEntries()) {
            out.add(row(stats, e, current, nameWidth));
        }
        out.add(sep);
        out.add(row(stats, stats.total(), current, nameWidth));
        return out;
    }

    private static String row(StatsSnapshot stats, EntrySnapshot e, boolean current, int nameWidth) {
        double rps = current ? stats.currentRps(e) : stats.totalRps(e);
        double fps = current ? stats.currentFailPerSec(e) : stats.totalFailPerSec(e);
        String type = e.method() == null || e.method().isEmpty() ? "" : e.method();
        return String.format(Locale.ROOT, "%-" + TYPE_WIDTH + "s %-" + nameWidth + "s %7d %12s |%7d %7d %7d%7d | %7.2f %11.2f",
                Text.escapeControl(type), Text.escapeControl(e.name()), e.numRequests(), String.format(Locale.ROOT, "%d(%.2f%%)", e.numFailures(), e.failRatio() * 100),
                (long) e.avgResponseTime(), (long) (e.minResponseTime() == null ? 0 : e.minResponseTime()),
                (long) e.maxResponseTime(), (long) e.medianResponseTime(), rps, fps);
    }

    /** "Response time percentiles (approximated)". */
    public static List<String> percentileTable(StatsSnapshot stats) {
        return percentiles("Response time percentiles (approximated)", stats, e -> e.responseTimeKeys().length == 0 ? null
                : new Row(e.numRequests(), e::percentile));
    }

    /**
     * The same percentiles of the response times from the intended start (an open model, paced
     * users); no lines when no request had one.
     */
    public static List<String> intendedPercentileTable(StatsSnapshot stats) {
        if (stats.total().intended().isEmpty()) {
            return List.of();
        }
        return percentiles("Response time from the intended start, percentiles (approximated)", stats,
                e -> e.intended().isEmpty() ? null : new Row(e.intended().count(), e.intended()::percentile));
    }

    private record Row(long requests, java.util.function.DoubleToLongFunction percentile) {}

    private static List<String> percentiles(String title, StatsSnapshot stats, java.util.function.Function<EntrySnapshot, Row> rowOf) {
        double[] ps = EntrySnapshot.PERCENTILES_TO_REPORT;
        List<String> out = new ArrayList<>();
        out.add(title);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + TYPE_WIDTH + "s %-" + NAME_WIDTH + "s %8s ", "Type", "Name", "# reqs"));
        StringBuilder sep = new StringBuilder("-".repeat(TYPE_WIDTH) + "|" + "-".repeat(NAME_WIDTH) + "|" + "-".repeat(8) + "|");
        for (int i = 0; i < ps.length; i++) {
            header.append(String.format(Locale.ROOT, "%6s", percentileLabel(ps[i]))).append(i < ps.length - 1 ? " " : "");
            sep.append("-".repeat(6)).append(i < ps.length - 1 ? "|" : "");
        }
        out.add(header.toString());
        out.add(sep.toString());
        for (EntrySnapshot e : stats.sortedEntries()) {
            Row r = rowOf.apply(e);
            if (r != null) {
                out.add(percentileRow(e, r));
            }
        }
        out.add(sep.toString());
        Row total = rowOf.apply(stats.total());
        if (total != null) {
            out.add(percentileRow(stats.total(), total));
        }
        return out;
    }

    private static String percentileRow(EntrySnapshot e, Row r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-" + TYPE_WIDTH + "s %-" + NAME_WIDTH + "s %8d ",
                Text.escapeControl(e.method()), Text.escapeControl(e.name()), r.requests()));
        double[] ps = EntrySnapshot.PERCENTILES_TO_REPORT;
        for (int i = 0; i < ps.length; i++) {
            sb.append(String.format(Locale.ROOT, "%6d", r.percentile().applyAsLong(ps[i]))).append(i < ps.length - 1 ? " " : "");
        }
        return sb.toString();
    }

    /** Locust's column names: 50%, 99.9%, 100%. */
    public static String percentileLabel(double p) {
        double pct = p * 100;
        if (pct == Math.rint(pct)) {
            return String.format(Locale.ROOT, "%d%%", (long) pct);
        }
        String s = String.format(Locale.ROOT, "%.4f", pct).replaceAll("0+$", "");
        return s + "%";
    }

    public static List<String> errorReport(StatsSnapshot stats) {
        List<String> out = new ArrayList<>();
        if (stats.errors().isEmpty()) {
            return out;
        }
        out.add("Error report");
        out.add(String.format(Locale.ROOT, "%-18s %-100s", "# occurrences", "Error"));
        String sep = "-".repeat(18) + "|" + "-".repeat(80 + NAME_WIDTH - 19);
        out.add(sep);
        List<ErrorSnapshot> errors = new ArrayList<>(stats.errors());
        errors.sort((a, b) -> Long.compare(b.occurrences(), a.occurrences()));
        for (ErrorSnapshot e : errors) {
            out.add(String.format(Locale.ROOT, "%-18d %-100s", e.occurrences(), Text.escapeControl(e.displayName())));
        }
        out.add(sep);
        return out;
    }

    public static List<String> exceptionReport(List<Runner.ExceptionRecord> exceptions) {
        List<String> out = new ArrayList<>();
        if (exceptions.isEmpty()) {
            return out;
        }
        out.add("Exception report");
        out.add(String.format(Locale.ROOT, "%-18s %-100s", "# occurrences", "Exception (first line of the stack)"));
        String sep = "-".repeat(18) + "|" + "-".repeat(80 + NAME_WIDTH - 19);
        out.add(sep);
        for (Runner.ExceptionRecord e : exceptions) {
            String[] lines = e.traceback().split("\n");
            String where = lines.length > 1 ? lines[1].trim() : "";
            out.add(String.format(Locale.ROOT, "%-18d %s %s", e.count(), Text.escapeControl(e.message()), Text.escapeControl(where)));
        }
        out.add(sep);
        return out;
    }
}
