package io.locusttelemetry.engine.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A run's statistics beside a baseline's (an earlier run's): per endpoint and for the total, the
 * response time percentiles p50, p95 and p99, the requests per second and the failure ratio, and
 * the change in percent.
 *
 * <p>{@link #regressions(double)} names what got worse by more than a percentage, above a noise
 * floor, so that tiny absolute values do not fail a build:
 * <ul>
 *   <li>an endpoint (or the total) is judged only when both runs made at least {@link #MIN_REQUESTS}
 *       requests to it;</li>
 *   <li>a percentile is judged only when at least {@link #MIN_REQUESTS_BEYOND} requests of each run
 *       lie beyond it (p50 from 20 requests, p95 from 200, p99 from 1000): below that it is decided
 *       by a handful of requests, which is noise;</li>
 *   <li>a percentile regressed when it grew by more than the percentage <em>and</em> by at least
 *       {@link #LATENCY_NOISE_FLOOR_MS} ms;</li>
 *   <li>the failure ratio regressed when it grew by more than the percentage of its baseline value
 *       <em>and</em> by at least {@link #FAIL_RATIO_NOISE_FLOOR} (0.1 percentage points); from a
 *       baseline of 0, the absolute rule alone decides.</li>
 * </ul>
 * The requests per second are shown, not judged: they follow the load the test applies.
 *
 * @param rows one per endpoint of either run, sorted as the stats table, then the total
 */
public record StatsComparison(List<Row> rows) {
    /** Requests an endpoint needs in both runs before its changes count. */
    public static final long MIN_REQUESTS = 50;
    /** Requests each run must have beyond a percentile (above p95: 5% of them) for the percentile to be judged. */
    public static final long MIN_REQUESTS_BEYOND = 10;
    /** A percentile must grow by at least this many milliseconds to count as a regression. */
    public static final double LATENCY_NOISE_FLOOR_MS = 5;
    /** The failure ratio must grow by at least this much (0.1 percentage points) to count as a regression. */
    public static final double FAIL_RATIO_NOISE_FLOOR = 0.001;

    public StatsComparison {
        rows = List.copyOf(rows);
    }

    /**
     * The compared values of one entry.
     *
     * @param requests  number of requests
     * @param p50       median response time (ms, Locust's percentile)
     * @param p95       95th percentile (ms)
     * @param p99       99th percentile (ms)
     * @param rps       requests per second over the run
     * @param failRatio failures per request, 0 to 1
     */
    public record Values(long requests, double p50, double p95, double p99, double rps, double failRatio) {
        static Values of(EntrySnapshot e, StatsSnapshot stats) {
            return new Values(e.numRequests(), e.percentile(0.50), e.percentile(0.95), e.percentile(0.99), stats.totalRps(e),
                    e.failRatio());
        }
    }

    /**
     * One endpoint, or the total ({@code method} empty, name {@code Aggregated}).
     *
     * @param baseline the baseline's values, null when the baseline had no such endpoint
     * @param current  this run's values, null when this run had no such endpoint
     */
    public record Row(String method, String name, Values baseline, Values current) {
        /** The name the stats table shows: {@code GET /cart}, or {@code Aggregated}. */
        public String label() {
            return method == null || method.isEmpty() ? name : method + " " + name;
        }

        /** The change of one value in percent of the baseline's; null when either is missing or the baseline is 0. */
        public Double changePercent(ToDoubleFunction<Values> value) {
            if (baseline == null || current == null) {
                return null;
            }
            double b = value.applyAsDouble(baseline);
            double c = value.applyAsDouble(current);
            return b == 0 ? null : (c - b) / b * 100;
        }
    }

    /**
     * A value that got worse by more than the allowed percentage.
     *
     * @param metric        {@code p50}, {@code p95}, {@code p99} or {@code fail_ratio}
     * @param changePercent the change in percent of the baseline, null when the baseline was 0
     */
    public record Regression(Row row, String metric, double baseline, double current, Double changePercent) {
        /** One line: {@code GET /cart p95 regressed: 120 ms -> 190 ms (+58.3%)}. */
        public String summary() {
            boolean ratio = metric.equals("fail_ratio");
            String from = ratio ? percent(baseline) : millis(baseline);
            String to = ratio ? percent(current) : millis(current);
            String change = changePercent == null ? "from 0" : String.format(Locale.ROOT, "%+.1f%%", changePercent);
            return row.label() + " " + metric + " regressed: " + from + " -> " + to + " (" + change + ")";
        }

        private static String millis(double v) {
            return String.format(Locale.ROOT, "%.0f ms", v);
        }

        private static String percent(double v) {
            return String.format(Locale.ROOT, "%.2f%%", v * 100);
        }
    }

    /** {@code current} beside {@code baseline}. */
    public static StatsComparison of(StatsSnapshot baseline, StatsSnapshot current) {
        Map<String, EntrySnapshot[]> pairs = new LinkedHashMap<>();
        for (EntrySnapshot e : baseline.entries()) {
            pairs.computeIfAbsent(key(e), k -> new EntrySnapshot[2])[0] = e;
        }
        for (EntrySnapshot e : current.entries()) {
            pairs.computeIfAbsent(key(e), k -> new EntrySnapshot[2])[1] = e;
        }
        List<Row> rows = new ArrayList<>();
        for (EntrySnapshot[] p : pairs.values()) {
            EntrySnapshot any = p[1] != null ? p[1] : p[0];
            rows.add(new Row(any.method() == null ? "" : any.method(), any.name(),
                    p[0] == null ? null : Values.of(p[0], baseline), p[1] == null ? null : Values.of(p[1], current)));
        }
        rows.sort(Comparator.comparing(Row::name).thenComparing(Row::method));
        rows.add(new Row("", current.total().name(), Values.of(baseline.total(), baseline), Values.of(current.total(), current)));
        return new StatsComparison(rows);
    }

    private static String key(EntrySnapshot e) {
        return (e.method() == null ? "" : e.method()) + "\u0000" + e.name();
    }

    /** What got worse by more than {@code maxPercent} percent, by the rules above; empty when nothing did. */
    public List<Regression> regressions(double maxPercent) {
        List<Regression> out = new ArrayList<>();
        for (Row row : rows) {
            if (row.baseline() == null || row.current() == null || row.baseline().requests() < MIN_REQUESTS
                    || row.current().requests() < MIN_REQUESTS) {
                continue;
            }
            latency(out, row, "p50", 0.50, Values::p50, maxPercent);
            latency(out, row, "p95", 0.95, Values::p95, maxPercent);
            latency(out, row, "p99", 0.99, Values::p99, maxPercent);
            double b = row.baseline().failRatio();
            double c = row.current().failRatio();
            if (c - b >= FAIL_RATIO_NOISE_FLOOR - 1e-12 && (b == 0 || (c - b) / b * 100 > maxPercent)) {
                out.add(new Regression(row, "fail_ratio", b, c, row.changePercent(Values::failRatio)));
            }
        }
        return List.copyOf(out);
    }

    /** The fewest requests with which percentile {@code quantile} is judged: {@link #MIN_REQUESTS_BEYOND} beyond it. */
    public static long minRequestsFor(double quantile) {
        return (long) Math.ceil(MIN_REQUESTS_BEYOND / (1 - quantile) - 1e-9);
    }

    private static void latency(List<Regression> out, Row row, String metric, double quantile, ToDoubleFunction<Values> value,
                                double maxPercent) {
        long needed = minRequestsFor(quantile);
        if (row.baseline().requests() < needed || row.current().requests() < needed) {
            return;
        }
        double b = value.applyAsDouble(row.baseline());
        double c = value.applyAsDouble(row.current());
        if (c - b >= LATENCY_NOISE_FLOOR_MS && (b == 0 || (c - b) / b * 100 > maxPercent)) {
            out.add(new Regression(row, metric, b, c, row.changePercent(value)));
        }
    }
}
