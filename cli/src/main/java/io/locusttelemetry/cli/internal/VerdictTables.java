package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.stats.StatsComparison;
import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The console tables of a {@link Verdict}: each threshold with its measured value, result and
 * margin; each endpoint beside the baseline with the change in percent. Names come from users'
 * code and are escaped ({@link Text#escapeControl}).
 */
public final class VerdictTables {
    private static final int MAX_NAME = 80;

    private VerdictTables() {}

    /** "Thresholds": threshold, measured, result, margin; nothing without thresholds. */
    public static List<String> thresholdTable(Verdict verdict) {
        List<String> out = new ArrayList<>();
        if (verdict.thresholds().isEmpty()) {
            return out;
        }
        int width = 30;
        for (ThresholdOutcome o : verdict.thresholds()) {
            width = Math.max(width, Math.min(MAX_NAME, Text.escapeControl(o.threshold().text()).length()));
        }
        long failed = verdict.thresholds().stream().filter(o -> !o.passed()).count();
        out.add("Thresholds: " + (failed == 0 ? "all " + verdict.thresholds().size() + " passed"
                : failed + " of " + verdict.thresholds().size() + " failed"));
        String format = "%-" + width + "s %14s  %-6s  %s";
        out.add(String.format(Locale.ROOT, format, "Threshold", "Measured", "Result", "Margin"));
        out.add("-".repeat(width) + "|" + "-".repeat(15) + "|" + "-".repeat(8) + "|" + "-".repeat(24));
        for (ThresholdOutcome o : verdict.thresholds()) {
            String result = o.passed() ? "passed" : "FAILED";
            String margin = o.measured() == null ? o.problem() : o.marginText();
            if (verdict.stopped(o)) {
                margin += "; stopped the test (abort-on-fail)";
            }
            out.add(String.format(Locale.ROOT, format, fit(o.threshold().text(), width), o.measuredText(), result,
                    Text.escapeControl(margin)));
        }
        return out;
    }

    /** The comparison with the baseline, one row per endpoint and the total; nothing without a baseline. */
    public static List<String> comparisonTable(Verdict verdict, String baselineFile) {
        List<String> out = new ArrayList<>();
        StatsComparison c = verdict.comparison();
        if (c == null) {
            return out;
        }
        String rule = verdict.maxRegression() == null ? "" : ", max regression " + Verdict.percent(verdict.maxRegression());
        out.add("Compared with the baseline " + Text.escapeControl(baselineFile) + rule + " (baseline -> this run, change)");
        int width = 30;
        for (StatsComparison.Row r : c.rows()) {
            width = Math.max(width, Math.min(MAX_NAME, Text.escapeControl(r.label()).length()));
        }
        String format = "%-" + width + "s %22s %22s %22s %26s %24s";
        out.add(String.format(Locale.ROOT, format, "Name", "p50 (ms)", "p95 (ms)", "p99 (ms)", "req/s", "fail ratio"));
        out.add("-".repeat(width) + ("|" + "-".repeat(22)).repeat(3) + "|" + "-".repeat(26) + "|" + "-".repeat(24));
        for (StatsComparison.Row r : c.rows()) {
            out.add(String.format(Locale.ROOT, format, fit(r.label(), width),
                    cell(r, StatsComparison.Values::p50, "%.0f"), cell(r, StatsComparison.Values::p95, "%.0f"),
                    cell(r, StatsComparison.Values::p99, "%.0f"), cell(r, StatsComparison.Values::rps, "%.1f"),
                    cell(r, v -> v.failRatio() * 100, "%.2f%%")));
        }
        for (StatsComparison.Regression reg : verdict.regressions()) {
            out.add("REGRESSION: " + Text.escapeControl(reg.summary()));
        }
        return out;
    }

    /** {@code 120 -> 130 (+8.3%)}, {@code - -> 130 (new)}, {@code 120 -> - (gone)}. */
    static String cell(StatsComparison.Row r, ToDoubleFunction<StatsComparison.Values> value, String number) {
        String base = r.baseline() == null ? "-" : String.format(Locale.ROOT, number, value.applyAsDouble(r.baseline()));
        String now = r.current() == null ? "-" : String.format(Locale.ROOT, number, value.applyAsDouble(r.current()));
        String change;
        if (r.baseline() == null) {
            change = "new";
        } else if (r.current() == null) {
            change = "gone";
        } else {
            Double pct = r.changePercent(value);
            change = pct == null ? (value.applyAsDouble(r.current()) == 0 ? "=" : "from 0") : String.format(Locale.ROOT, "%+.1f%%", pct);
        }
        return base + " -> " + now + " (" + change + ")";
    }

    private static String fit(String text, int width) {
        String s = Text.escapeControl(text);
        return s.length() > width ? s.substring(0, width - 3) + "..." : s;
    }
}
