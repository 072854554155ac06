package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.stats.StatsComparison;
import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.util.Locale;

/**
 * The HTML report's sections of a {@link Verdict}: the service level objectives (each threshold,
 * measured, limit, result and margin) and the comparison with the baseline.
 */
final class HtmlVerdict {
    /** The sections' styles, added to the report's style sheet. */
    static final String STYLE = """
            tr.passed td.result{color:#1e8449;font-weight:600}tr.failed td.result{color:#c0392b;font-weight:600}
            td.worse{color:#c0392b;font-weight:600}td.better{color:#1e8449}.verdict{font-size:14px;margin:0 0 10px}
            """;

    private HtmlVerdict() {}

    static String render(Verdict verdict, String baselineFile) {
        StringBuilder h = new StringBuilder();
        if (!verdict.thresholds().isEmpty()) {
            long failed = verdict.thresholds().stream().filter(o -> !o.passed()).count();
            h.append("<section><h2>Service level objectives</h2><p class=\"verdict\" id=\"slo-verdict\" data-failed=\"").append(failed)
                    .append("\">").append(failed == 0 ? "All " + verdict.thresholds().size() + " thresholds held."
                            : failed + " of " + verdict.thresholds().size() + " thresholds failed.");
            if (verdict.abortedBy() != null) {
                h.append(" The test was stopped early by <code>").append(HtmlReport.esc(verdict.abortedBy().threshold().text()))
                        .append("</code> (abort-on-fail).");
            }
            h.append("</p><table id=\"thresholds\"><thead><tr><th class=\"l\">Threshold</th><th>Measured</th><th>Limit</th>")
                    .append("<th>Result</th><th>Margin</th></tr></thead><tbody>");
            for (ThresholdOutcome o : verdict.thresholds()) {
                h.append("<tr class=\"").append(o.passed() ? "passed" : "failed").append("\"><td class=\"l\">")
                        .append(HtmlReport.esc(o.threshold().text())).append("</td><td>").append(HtmlReport.esc(o.measuredText()))
                        .append("</td><td>").append(HtmlReport.esc(o.threshold().limitText())).append("</td><td class=\"result\">")
                        .append(o.passed() ? "passed" : "failed").append("</td><td>")
                        .append(HtmlReport.esc(o.measured() == null ? o.problem() : o.marginText())).append("</td></tr>");
            }
            h.append("</tbody></table></section>\n");
        }
        StatsComparison c = verdict.comparison();
        if (c != null) {
            h.append("<section><h2>Compared with the baseline</h2><p class=\"verdict\" id=\"comparison-verdict\" data-regressions=\"")
                    .append(verdict.regressions().size()).append("\">Baseline <code>").append(HtmlReport.esc(baselineFile)).append("</code>");
            if (verdict.maxRegression() != null) {
                h.append(", at most ").append(Verdict.percent(verdict.maxRegression())).append(" worse allowed: ")
                        .append(verdict.regressions().isEmpty() ? "no regression." : verdict.regressions().size() + " regressions.");
            }
            h.append("</p><table id=\"comparison\"><thead><tr><th class=\"l\">Type</th><th class=\"l\">Name</th>")
                    .append("<th>p50 (ms)</th><th>p95 (ms)</th><th>p99 (ms)</th><th>RPS</th><th>Failure ratio</th></tr></thead><tbody>");
            for (StatsComparison.Row row : c.rows()) {
                h.append(row == c.rows().get(c.rows().size() - 1) ? "<tr class=\"total\">" : "<tr>").append("<td class=\"l\">")
                        .append(HtmlReport.esc(row.method())).append("</td><td class=\"l\">").append(HtmlReport.esc(row.name())).append("</td>");
                cell(h, verdict, row, "p50", StatsComparison.Values::p50, true);
                cell(h, verdict, row, "p95", StatsComparison.Values::p95, true);
                cell(h, verdict, row, "p99", StatsComparison.Values::p99, true);
                cell(h, verdict, row, "rps", StatsComparison.Values::rps, false);
                cell(h, verdict, row, "fail_ratio", v -> v.failRatio() * 100, true);
                h.append("</tr>");
            }
            h.append("</tbody></table></section>\n");
        }
        return h.toString();
    }

    private static void cell(StringBuilder h, Verdict verdict, StatsComparison.Row row, String metric,
                             java.util.function.ToDoubleFunction<StatsComparison.Values> value, boolean lowerIsBetter) {
        boolean regressed = verdict.regressions().stream().anyMatch(r -> r.row().equals(row) && r.metric().equals(metric));
        Double pct = row.changePercent(value);
        String css = regressed ? "worse" : pct != null && (lowerIsBetter ? pct < 0 : pct > 0) && Math.abs(pct) >= 1 ? "better" : "";
        String number = metric.equals("rps") ? "%.1f" : metric.equals("fail_ratio") ? "%.2f%%" : "%.0f";
        h.append("<td class=\"").append(css).append("\" data-metric=\"").append(metric).append('"');
        if (pct != null) {
            h.append(" data-change=\"").append(String.format(Locale.ROOT, "%.1f", pct)).append('"');
        }
        h.append('>').append(HtmlReport.esc(VerdictTables.cell(row, value, number))).append("</td>");
    }
}
