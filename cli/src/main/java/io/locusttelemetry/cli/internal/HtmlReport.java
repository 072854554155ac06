package io.locusttelemetry.cli.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.IterationSnapshot;
import io.locusttelemetry.engine.stats.StatsHistory;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.stats.TimeDistribution;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --html}: one self-contained HTML file (Chart.js inlined, no network needed) with the run's
 * parameters, charts over time from the engine's stats history, and the statistics, percentile,
 * failure and exception tables.
 */
public final class HtmlReport {
    private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.min.js";

    private HtmlReport() {}

    public static void write(Path file, Map<String, String> parameters, StatsSnapshot stats, List<StatsHistory.Point> history,
                             List<Runner.ExceptionRecord> exceptions) throws IOException {
        write(file, parameters, stats, history, exceptions, Verdict.none(), null);
    }

    /** With the sections of the run's thresholds and its comparison with {@code baselineFile}. */
    public static void write(Path file, Map<String, String> parameters, StatsSnapshot stats, List<StatsHistory.Point> history,
                             List<Runner.ExceptionRecord> exceptions, Verdict verdict, String baselineFile) throws IOException {
        String html = render(parameters, stats, history, exceptions, verdict, baselineFile);
        try (java.io.Writer w = ReportFiles.writer(file)) {
            w.write(html);
        }
    }

    public static String render(Map<String, String> parameters, StatsSnapshot stats, List<StatsHistory.Point> history,
                                List<Runner.ExceptionRecord> exceptions) throws IOException {
        return render(parameters, stats, history, exceptions, Verdict.none(), null);
    }

    public static String render(Map<String, String> parameters, StatsSnapshot stats, List<StatsHistory.Point> history,
                                List<Runner.ExceptionRecord> exceptions, Verdict verdict, String baselineFile) throws IOException {
        StringBuilder h = new StringBuilder(300_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>jlocust report</title>\n<style>\n")
                .append("""
                        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
                        header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
                        header p{margin:6px 0 0;color:#b8c0cc;font-size:13px}
                        main{padding:18px 28px;max-width:1400px}
                        section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:16px 20px;margin-bottom:18px}
                        h2{font-size:16px;margin:0 0 12px}
                        table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:6px 8px;border-bottom:1px solid #e6e8ec;text-align:right}
                        th{background:#f0f2f5;font-weight:600}td.l,th.l{text-align:left}tr.total td{font-weight:600;background:#fafbfc}
                        .params{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:6px 18px;font-size:13px}
                        .params div span{color:#6b7280;display:inline-block;min-width:90px}
                        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:18px}
                        .chart{position:relative;height:260px}.fail{color:#c0392b}pre{white-space:pre-wrap;font-size:12px;margin:0}
                        .saturated{background:#fdecea;border-left:4px solid #e67e22;padding:6px 10px;font-size:13px}
                        """).append(HtmlVerdict.STYLE)
                .append("</style>\n</head><body>\n");
        EntrySnapshot total = stats.total();
        h.append("<header><h1>Load test report</h1><p>")
                .append(esc(String.format(Locale.ROOT, "%,d requests, %,d failures (%.2f%%), %.1f req/s on average",
                        total.numRequests(), total.numFailures(), total.failRatio() * 100, stats.totalRps(total))))
                .append("</p></header>\n<main>\n");

        h.append("<section><h2>Run</h2><div class=\"params\" id=\"params\">");
        parameters.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                h.append("<div><span>").append(esc(k)).append("</span> <b data-param=\"").append(esc(k)).append("\">")
                        .append(esc(v)).append("</b></div>");
            }
        });
        h.append("</div></section>\n");
        h.append(HtmlVerdict.render(verdict, baselineFile));

        long saturated = history.stream().filter(StatsHistory.Point::generatorSaturated).count();
        h.append("<section><h2>Over time</h2>");
        if (saturated > 0) {
            h.append("<p class=\"saturated\" id=\"saturated\" data-seconds=\"").append(saturated).append("\">The load generator was saturated")
                    .append(" in the shaded seconds (").append(saturated).append(" s): its users woke late or GC paused it, so the")
                    .append(" response times there measure the generator rather than the system under test.</p>");
        }
        h.append("<div class=\"charts\">")
                .append("<div class=\"chart\"><canvas id=\"chart-rps\" aria-label=\"Requests and failures per second\"></canvas></div>")
                .append("<div class=\"chart\"><canvas id=\"chart-rt\" aria-label=\"Response times\"></canvas></div>")
                .append("<div class=\"chart\"><canvas id=\"chart-users\" aria-label=\"Users\"></canvas></div>")
                .append("</div></section>\n");

        h.append("<section><h2>Request statistics</h2><table id=\"stats\"><thead><tr><th class=\"l\">Type</th><th class=\"l\">Name</th>")
                .append("<th># requests</th><th># failures</th><th>Median (ms)</th><th>Average (ms)</th><th>Min (ms)</th><th>Max (ms)</th>")
                .append("<th>Average size (bytes)</th><th>RPS</th><th>Failures/s</th></tr></thead><tbody>");
        List<EntrySnapshot> rows = new ArrayList<>(stats.sortedEntries());
        rows.add(total);
        for (EntrySnapshot e : rows) {
            boolean isTotal = e == total;
            h.append(isTotal ? "<tr class=\"total\">" : "<tr>")
                    .append("<td class=\"l\">").append(esc(e.method())).append("</td><td class=\"l\">").append(esc(e.name())).append("</td>")
                    .append(td(e.numRequests())).append(td(e.numFailures())).append(td((long) e.medianResponseTime()))
                    .append(td(e.avgResponseTime())).append(td((long) (e.minResponseTime() == null ? 0 : e.minResponseTime())))
                    .append(td((long) e.maxResponseTime())).append(td(e.avgContentLength())).append(td(stats.totalRps(e)))
                    .append(td(stats.totalFailPerSec(e))).append("</tr>");
        }
        h.append("</tbody></table></section>\n");

        percentiles(h, "percentiles", "Response time percentiles (ms)", rows, total, e -> e.responseTimeKeys().length == 0 ? null
                : new TimeDistribution(e.numRequests(), 0, null, 0, e.responseTimeKeys(), e.responseTimeCounts()));
        if (!total.intended().isEmpty()) {
            percentiles(h, "intended-percentiles", "Response time from the intended start, percentiles (ms)", rows, total,
                    e -> e.intended().isEmpty() ? null : e.intended());
        }
        iterations(h, stats);

        h.append("<section><h2>Failures</h2>");
        if (stats.errors().isEmpty()) {
            h.append("<p>No failures.</p>");
        } else {
            h.append("<table id=\"failures\"><thead><tr><th># occurrences</th><th class=\"l\">Method</th><th class=\"l\">Name</th>")
                    .append("<th class=\"l\">Error</th></tr></thead><tbody>");
            List<ErrorSnapshot> errors = new ArrayList<>(stats.errors());
            errors.sort((a, b) -> Long.compare(b.occurrences(), a.occurrences()));
            for (ErrorSnapshot e : errors) {
                h.append("<tr>").append(td(e.occurrences())).append("<td class=\"l\">").append(esc(e.method())).append("</td><td class=\"l\">")
                        .append(esc(e.name())).append("</td><td class=\"l fail\">").append(esc(e.error())).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</section>\n<section><h2>Exceptions</h2>");
        if (exceptions.isEmpty()) {
            h.append("<p>No exceptions.</p>");
        } else {
            h.append("<table id=\"exceptions\"><thead><tr><th>Count</th><th class=\"l\">Message</th><th class=\"l\">Traceback</th>")
                    .append("<th class=\"l\">Nodes</th></tr></thead><tbody>");
            for (Runner.ExceptionRecord e : exceptions) {
                h.append("<tr>").append(td(e.count())).append("<td class=\"l\">").append(esc(e.message())).append("</td><td class=\"l\"><pre>")
                        .append(esc(e.traceback())).append("</pre></td><td class=\"l\">").append(esc(String.join(", ", e.nodes())))
                        .append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</section>\n</main>\n");

        h.append("<script type=\"application/json\" id=\"history\">").append(historyJson(history).replace("</", "<\\/")).append("</script>\n");
        h.append("<script>").append(chartJs()).append("</script>\n");
        h.append("<script>\n").append("""
                (function () {
                  var points = JSON.parse(document.getElementById('history').textContent);
                  var labels = points.map(function (p) { return new Date(p.t * 1000).toISOString().substring(11, 19); });
                  function series(key) { return points.map(function (p) { return p[key]; }); }
                  // the seconds in which the generator was saturated, shaded behind the lines
                  var shade = { id: 'saturated', beforeDatasetsDraw: function (chart) {
                    var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx, step = points.length > 1 ? x.getPixelForValue(1) - x.getPixelForValue(0) : 0;
                    ctx.save();
                    ctx.fillStyle = 'rgba(230,126,34,0.18)';
                    points.forEach(function (p, i) {
                      if (p.sat) { ctx.fillRect(x.getPixelForValue(i) - step / 2, area.top, Math.max(step, 2), area.bottom - area.top); }
                    });
                    ctx.restore();
                  } };
                  function draw(id, datasets, yTitle) {
                    var canvas = document.getElementById(id);
                    var chart = new Chart(canvas, {
                      type: 'line',
                      plugins: [shade],
                      data: { labels: labels, datasets: datasets },
                      options: { animation: false, responsive: true, maintainAspectRatio: false, pointRadius: 0,
                        interaction: { mode: 'index', intersect: false },
                        scales: { y: { beginAtZero: true, title: { display: true, text: yTitle } } } }
                    });
                    canvas.setAttribute('data-points', String(chart.data.datasets[0].data.length));
                    canvas.setAttribute('data-series', chart.data.datasets.map(function (d) { return d.label; }).join('|'));
                    canvas.setAttribute('data-saturated', String(points.filter(function (p) { return p.sat; }).length));
                  }
                  var rps = [
                    { label: 'Requests/s', data: series('rps'), borderColor: '#2e86de', backgroundColor: '#2e86de', tension: .2 },
                    { label: 'Failures/s', data: series('fps'), borderColor: '#c0392b', backgroundColor: '#c0392b', tension: .2 }
                  ];
                  // dropped iterations per second, from the running count (an open model that hit its most users)
                  var dropped = points.map(function (p, i) { return i === 0 ? 0 : Math.max(0, p.dropped - points[i - 1].dropped); });
                  if (dropped.some(function (d) { return d > 0; })) {
                    rps.push({ label: 'Dropped iterations/s', data: dropped, borderColor: '#7f8c8d', backgroundColor: '#7f8c8d', stepped: true });
                  }
                  draw('chart-rps', rps, 'per second');
                  var rt = [
                    { label: 'Median (p50)', data: series('p50'), borderColor: '#27ae60', backgroundColor: '#27ae60', tension: .2 },
                    { label: '95th percentile', data: series('p95'), borderColor: '#e67e22', backgroundColor: '#e67e22', tension: .2 }
                  ];
                  if (points.some(function (p) { return p.ip95 !== undefined; })) {
                    rt.push({ label: '95th percentile from the intended start', data: series('ip95'), borderColor: '#8e44ad',
                      backgroundColor: '#8e44ad', borderDash: [6, 3], tension: .2 });
                  }
                  draw('chart-rt', rt, 'milliseconds');
                  draw('chart-users', [
                    { label: 'Users', data: series('users'), borderColor: '#8e44ad', backgroundColor: '#8e44ad', stepped: true }
                  ], 'users');
                  document.body.setAttribute('data-rendered', 'true');
                })();
                """).append("</script>\n</body></html>\n");
        return h.toString();
    }

    /** A percentile table of {@code rows}, each read from the distribution {@code of} gives (none: no row). */
    private static void percentiles(StringBuilder h, String id, String title, List<EntrySnapshot> rows, EntrySnapshot total,
                                    java.util.function.Function<EntrySnapshot, TimeDistribution> of) {
        double[] ps = EntrySnapshot.PERCENTILES_TO_REPORT;
        h.append("<section><h2>").append(title).append("</h2><table id=\"").append(id)
                .append("\"><thead><tr><th class=\"l\">Type</th><th class=\"l\">Name</th>");
        for (double p : ps) {
            h.append("<th>").append(ConsoleStats.percentileLabel(p)).append("</th>");
        }
        h.append("<th># requests</th></tr></thead><tbody>");
        for (EntrySnapshot e : rows) {
            TimeDistribution d = of.apply(e);
            if (d == null) {
                continue;
            }
            h.append(e == total ? "<tr class=\"total\">" : "<tr>").append("<td class=\"l\">").append(esc(e.method()))
                    .append("</td><td class=\"l\">").append(esc(e.name())).append("</td>");
            for (double p : ps) {
                h.append(td(d.percentile(p)));
            }
            h.append(td(d.count())).append("</tr>");
        }
        h.append("</tbody></table></section>\n");
    }

    /** An open model's iterations per class; nothing for a closed model. */
    private static void iterations(StringBuilder h, StatsSnapshot stats) {
        IterationSnapshot it = stats.iterations();
        if (it.isEmpty()) {
            return;
        }
        h.append("<section><h2>Iterations (open model)</h2><table id=\"iterations\"><thead><tr><th class=\"l\">User class</th>")
                .append("<th>Scheduled</th><th>Started</th><th>Dropped</th><th>Late</th></tr></thead><tbody>");
        it.byClass().forEach((userClass, c) -> h.append("<tr><td class=\"l\">").append(esc(userClass)).append("</td>")
                .append(td(c.scheduled())).append(td(c.started())).append(td(c.dropped())).append(td(c.late())).append("</tr>"));
        IterationSnapshot.Counts t = it.total();
        h.append("<tr class=\"total\"><td class=\"l\">Aggregated</td>").append(td(t.scheduled())).append(td(t.started()))
                .append(td(t.dropped())).append(td(t.late())).append("</tr></tbody></table>");
        for (String warning : OpenModelSummary.warnings(t)) {
            h.append("<p class=\"saturated\">").append(esc(warning)).append("</p>");
        }
        h.append("</section>\n");
    }

    private static String historyJson(List<StatsHistory.Point> history) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartArray();
            for (StatsHistory.Point p : history) {
                g.writeStartObject();
                g.writeNumberField("t", p.timestamp());
                g.writeNumberField("users", p.userCount());
                g.writeNumberField("rps", Math.round(p.currentRps() * 100) / 100.0);
                g.writeNumberField("fps", Math.round(p.currentFailPerSec() * 100) / 100.0);
                g.writeNumberField("p50", p.currentPercentile(0.5));
                g.writeNumberField("p95", p.currentPercentile(0.95));
                g.writeNumberField("requests", p.totalRequests());
                g.writeNumberField("failures", p.totalFailures());
                if (p.currentIntendedPercentiles().length > 0) {
                    g.writeNumberField("ip95", p.currentIntendedPercentile(0.95));
                }
                g.writeNumberField("dropped", p.droppedIterations());
                if (p.generatorSaturated()) {
                    g.writeNumberField("sat", 1);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return w.toString();
    }

    private static String chartJs() throws IOException {
        try (InputStream in = HtmlReport.class.getResourceAsStream(CHART_JS)) {
            if (in == null) {
                throw new IOException("Chart.js is missing from the classpath (" + CHART_JS + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String td(long v) {
        return "<td>" + v + "</td>";
    }

    private static String td(double v) {
        return "<td>" + String.format(Locale.ROOT, "%.2f", v) + "</td>";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
