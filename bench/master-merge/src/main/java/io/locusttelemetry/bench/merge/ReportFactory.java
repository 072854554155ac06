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

/**
 * Builds the {@code stats} report a busy worker sends for one interval, in the shape the
 * cluster's WorkerRunner produces (protocol {@link SerializedStatsEntry} rows with int bucket keys, an
 * Aggregated total with method {@code ""}, errors keyed as Python keys them, user counts).
 *
 * <p>Every request of the interval is drawn individually: a log-normal response time (per
 * endpoint median and spread, taken from a table of {@value #SAMPLES} draws made once, so that
 * thousands of simulated workers cost one core a small fraction of its time), a uniform timestamp
 * inside the interval (for the per-second maps), and a failure with the endpoint's failure ratio.
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

    static final int SAMPLES = 1 << 14;

    private final List<Endpoint> endpoints;
    private final double weightSum;
    private final double requestsPerSecond;
    private final SplittableRandom random;
    /** Per endpoint, {@link #SAMPLES} response times (ms) and their bucket's index in {@link #keys}. */
    private final double[][] sampleMs;
    private final int[][] sampleBucket;
    private final long[] keys;

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
        Map<Long, Integer> index = new HashMap<>();
        List<Long> keyList = new ArrayList<>();
        sampleMs = new double[endpoints.size()][SAMPLES];
        sampleBucket = new int[endpoints.size()][SAMPLES];
        for (int e = 0; e < endpoints.size(); e++) {
            Endpoint ep = endpoints.get(e);
            for (int i = 0; i < SAMPLES; i++) {
                double ms = ep.medianMs() * Math.exp(ep.sigma() * gaussian());
                long key = ResponseTimeBuckets.keyForMillis(ms);
                sampleMs[e][i] = ms;
                sampleBucket[e][i] = index.computeIfAbsent(key, k -> {
                    keyList.add(k);
                    return keyList.size() - 1;
                });
            }
        }
        keys = keyList.stream().mapToLong(Long::longValue).toArray();
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
        long firstSecond = (long) Math.floor(from);
        int seconds = (int) ((long) Math.floor(from + span) - firstSecond) + 1;
        List<SerializedStatsEntry> rows = new ArrayList<>(endpoints.size());
        Map<String, StatsError> errors = new LinkedHashMap<>();
        Acc total = new Acc(keys.length, seconds);
        for (int ei = 0; ei < endpoints.size(); ei++) {
            Endpoint e = endpoints.get(ei);
            double mean = requestsPerSecond * span * e.weight() / weightSum;
            long n = Math.max(0, Math.round(mean * (0.85 + 0.3 * random.nextDouble())));
            if (n == 0) {
                continue;
            }
            Acc acc = new Acc(keys.length, seconds);
            double firstFail = Double.NaN;
            double lastFail = Double.NaN;
            double[] ms = sampleMs[ei];
            int[] bucket = sampleBucket[ei];
            for (long i = 0; i < n; i++) {
                double ts = from + random.nextDouble() * span;
                int s = random.nextInt(SAMPLES);
                boolean failed = e.failRatio() > 0 && random.nextDouble() < e.failRatio();
                acc.add(ts, (int) ((long) Math.floor(ts) - firstSecond), ms[s], bucket[s], failed);
                if (failed) {
                    firstFail = Double.isNaN(firstFail) ? ts : Math.min(firstFail, ts);
                    lastFail = Double.isNaN(lastFail) ? ts : Math.max(lastFail, ts);
                }
            }
            acc.contentLength = e.bytes() == 0 ? 0 : Math.round(e.bytes() * n * (0.95 + 0.1 * random.nextDouble()));
            total.addAll(acc);
            rows.add(acc.toEntry(e.name(), e.method(), from, keys, firstSecond));
            if (acc.failures > 0) {
                StatsError err = new StatsError(e.name(), e.method(), e.error(), acc.failures, firstFail, lastFail);
                errors.put(ErrorKey.of(e.method(), e.name(), e.error()), err);
            }
        }
        return Stats.of(rows, total.toEntry(SerializedStatsEntry.AGGREGATED, "", from, keys, firstSecond), errors, userClassesCount);
    }

    private double gaussian() {
        // Box-Muller; one value per call is plenty here
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Raw counters of one row over an interval, as a worker keeps them: buckets and seconds by index. */
    private static final class Acc {
        long requests;
        long failures;
        double totalMs;
        double minMs = Double.MAX_VALUE;
        double maxMs;
        long contentLength;
        double lastTimestamp;
        final long[] histogram;
        final long[] perSecond;
        final long[] failPerSecond;

        Acc(int buckets, int seconds) {
            histogram = new long[buckets];
            perSecond = new long[seconds];
            failPerSecond = new long[seconds];
        }

        void add(double ts, int second, double ms, int bucket, boolean failed) {
            requests++;
            totalMs += ms;
            minMs = Math.min(minMs, ms);
            maxMs = Math.max(maxMs, ms);
            lastTimestamp = Math.max(lastTimestamp, ts);
            histogram[bucket]++;
            perSecond[second]++;
            if (failed) {
                failures++;
                failPerSecond[second]++;
            }
        }

        void addAll(Acc a) {
            requests += a.requests;
            failures += a.failures;
            totalMs += a.totalMs;
            minMs = Math.min(minMs, a.minMs);
            maxMs = Math.max(maxMs, a.maxMs);
            contentLength += a.contentLength;
            lastTimestamp = Math.max(lastTimestamp, a.lastTimestamp);
            for (int i = 0; i < histogram.length; i++) {
                histogram[i] += a.histogram[i];
            }
            for (int i = 0; i < perSecond.length; i++) {
                perSecond[i] += a.perSecond[i];
                failPerSecond[i] += a.failPerSecond[i];
            }
        }

        SerializedStatsEntry toEntry(String name, String method, double startTime, long[] keys, long firstSecond) {
            boolean any = requests > 0;
            Map<Long, Long> buckets = new LinkedHashMap<>();
            for (int i = 0; i < histogram.length; i++) {
                if (histogram[i] > 0) {
                    buckets.put(keys[i], histogram[i]);
                }
            }
            return new SerializedStatsEntry(name, method, any ? lastTimestamp : null, startTime, requests, 0, failures, totalMs,
                    any ? maxMs : 0.0, any ? minMs : null, contentLength, buckets,
                    bySecond(perSecond, firstSecond), bySecond(failPerSecond, firstSecond));
        }

        private static Map<Long, Long> bySecond(long[] counts, long firstSecond) {
            Map<Long, Long> out = new LinkedHashMap<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    out.put(firstSecond + i, counts[i]);
                }
            }
            return out;
        }
    }
}
