package io.locusttelemetry.bench.merge;

import io.locusttelemetry.engine.stats.ResponseTimeBuckets;
import io.locusttelemetry.protocol.ErrorKey;
import io.locusttelemetry.protocol.Stats;
import io.locusttelemetry.protocol.SerializedStatsEntry;
import io.locusttelemetry.protocol.StatsError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Builds the {@code stats} report a busy worker sends for one interval, in the shape the
 * cluster's WorkerRunner produces (protocol {@link SerializedStatsEntry} rows with int bucket keys, an
 * Aggregated total with method {@code ""}, errors keyed as Python keys them, user counts).
 *
 * <p>Every request of the interval is drawn individually: a log-normal response time (per
 * endpoint median and spread) rounded to Locust's buckets, a uniform timestamp inside the
 * interval (for the per-second maps), a size, and a failure with the endpoint's failure ratio.
 * So every report carries new numbers, realistic histograms and per-second maps.
 */
final class ReportFactory {

    /** One request name of the simulated load. */
    record Endpoint(String method, String name, double medianMs, double sigma, int bytes, double weight,
            double failRatio, String error) {}

    /**
     * The default mix. Medians and spreads are chosen so that a few hundred requests per interval
     * fill 50 to 100 distinct buckets per row, as rows of a busy worker do.
     */
    static final List<Endpoint> DEFAULT_ENDPOINTS = List.of(
            new Endpoint("GET", "/", 35, 0.45, 5_120, 1.4, 0, null),
            new Endpoint("GET", "/api/items", 45, 0.40, 18_400, 1.2, 0, null),
            new Endpoint("GET", "/api/items/[id]", 28, 0.50, 2_350, 1.2, 0.002,
                    "HTTPError('404 Client Error: Not Found for url: /api/items/[id]')"),
            new Endpoint("POST", "/api/cart", 55, 0.45, 640, 1.0, 0.02,
                    "HTTPError('500 Server Error: Internal Server Error for url: /api/cart')"),
            new Endpoint("GET", "/static/app.js", 30, 0.55, 251_000, 0.8, 0, null),
            new Endpoint("POST", "/api/login", 140, 0.70, 910, 0.8, 0.005, "CatchResponseError('login rejected')"),
            new Endpoint("GET", "/api/search", 180, 0.80, 32_000, 1.0, 0.01,
                    "ConnectionResetError(104, 'Connection reset by peer')"),
            new Endpoint("PUT", "/api/profile", 60, 0.45, 1_100, 0.8, 0, null),
            new Endpoint("DELETE", "/api/cart/[id]", 40, 0.45, 0, 0.8, 0, null),
            new Endpoint("GET", "/api/recommendations", 90, 0.60, 7_700, 1.0, 0, null));

    private final List<Endpoint> endpoints;
    private final double weightSum;
    private final double requestsPerSecond;
    private final SplittableRandom random;

    ReportFactory(int entries, double requestsPerSecond, long seed) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            Endpoint base = DEFAULT_ENDPOINTS.get(i % DEFAULT_ENDPOINTS.size());
            int round = i / DEFAULT_ENDPOINTS.size();
            list.add(round == 0 ? base : new Endpoint(base.method(), base.name() + "/v" + (round + 1), base.medianMs(),
                    base.sigma(), base.bytes(), base.weight(), base.failRatio(), base.error()));
        }
        this.endpoints = List.copyOf(list);
        this.weightSum = endpoints.stream().mapToDouble(Endpoint::weight).sum();
        this.requestsPerSecond = requestsPerSecond;
        this.random = new SplittableRandom(seed);
    }

    /** A report without activity (before the first spawn): no rows, an empty total. */
    static Stats idle(double since, Map<String, Long> userClassesCount) {
        return Stats.of(List.of(), SerializedStatsEntry.empty(SerializedStatsEntry.AGGREGATED, "", since), Map.of(), zeroed(userClassesCount));
    }

    private static Map<String, Long> zeroed(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, 0L));
        return out;
    }

    /** The delta of {@code [from, to)} (Unix seconds) for a worker running {@code userClassesCount}. */
    Stats busy(double from, double to, Map<String, Long> userClassesCount) {
        double span = Math.max(0.0, to - from);
        List<SerializedStatsEntry> rows = new ArrayList<>(endpoints.size());
        Map<String, StatsError> errors = new LinkedHashMap<>();
        Acc total = new Acc();
        for (Endpoint e : endpoints) {
            double mean = requestsPerSecond * span * e.weight() / weightSum;
            long n = Math.max(0, Math.round(mean * (0.85 + 0.3 * random.nextDouble())));
            if (n == 0) {
                continue;
            }
            Acc acc = new Acc();
            long failures = 0;
            double firstFail = Double.NaN;
            double lastFail = Double.NaN;
            for (long i = 0; i < n; i++) {
                double ts = from + random.nextDouble() * span;
                double ms = e.medianMs() * Math.exp(e.sigma() * gaussian());
                long bytes = e.bytes() == 0 ? 0 : Math.max(0, Math.round(e.bytes() * (0.9 + 0.2 * random.nextDouble())));
                boolean failed = e.failRatio() > 0 && random.nextDouble() < e.failRatio();
                acc.add(ts, ms, bytes, failed);
                total.add(ts, ms, bytes, failed);
                if (failed) {
                    failures++;
                    firstFail = Double.isNaN(firstFail) ? ts : Math.min(firstFail, ts);
                    lastFail = Double.isNaN(lastFail) ? ts : Math.max(lastFail, ts);
                }
            }
            rows.add(acc.toEntry(e.name(), e.method(), from));
            if (failures > 0) {
                StatsError err = new StatsError(e.name(), e.method(), e.error(), failures, firstFail, lastFail);
                errors.put(ErrorKey.of(e.method(), e.name(), e.error()), err);
            }
        }
        return Stats.of(rows, total.toEntry(SerializedStatsEntry.AGGREGATED, "", from), errors, userClassesCount);
    }

    private double gaussian() {
        // Box-Muller; one value per call is plenty here
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Raw counters of one row over an interval, as a worker keeps them. */
    private static final class Acc {
        long requests;
        long failures;
        double totalMs;
        double minMs = Double.MAX_VALUE;
        double maxMs;
        long contentLength;
        double lastTimestamp;
        final Map<Long, Long> histogram = new LinkedHashMap<>();
        final Map<Long, Long> perSecond = new HashMap<>();
        final Map<Long, Long> failPerSecond = new HashMap<>();

        void add(double ts, double ms, long bytes, boolean failed) {
            requests++;
            totalMs += ms;
            minMs = Math.min(minMs, ms);
            maxMs = Math.max(maxMs, ms);
            contentLength += bytes;
            lastTimestamp = Math.max(lastTimestamp, ts);
            histogram.merge(ResponseTimeBuckets.keyForMillis(ms), 1L, Long::sum);
            long second = (long) Math.floor(ts);
            perSecond.merge(second, 1L, Long::sum);
            if (failed) {
                failures++;
                failPerSecond.merge(second, 1L, Long::sum);
            }
        }

        SerializedStatsEntry toEntry(String name, String method, double startTime) {
            boolean any = requests > 0;
            return new SerializedStatsEntry(name, method, any ? lastTimestamp : null, startTime, requests, 0, failures, totalMs,
                    any ? maxMs : 0.0, any ? minMs : null, contentLength, histogram,
                    new LinkedHashMap<>(new TreeMap<>(perSecond)), new LinkedHashMap<>(new TreeMap<>(failPerSecond)));
        }
    }
}
