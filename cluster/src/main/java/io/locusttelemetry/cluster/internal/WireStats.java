package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.IterationSnapshot;
import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.stats.TimeDistribution;
import io.locusttelemetry.protocol.ErrorKey;
import io.locusttelemetry.protocol.IntendedTimes;
import io.locusttelemetry.protocol.IterationCounts;
import io.locusttelemetry.protocol.Stats;
import io.locusttelemetry.protocol.SerializedStatsEntry;
import io.locusttelemetry.protocol.StatsError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts between the engine's statistics and the {@code stats} message: a worker turns a delta
 * snapshot into a report, a master merges a report into its statistics (Locust's rules: counters
 * and histograms added, the total only from {@code stats_total}, errors by key).
 */
public final class WireStats {
    private static final int INSERTION_SORT_MAX = 256;

    private WireStats() {}

    /** The report of one interval. */
    public static Stats report(StatsSnapshot delta, Map<String, Integer> userClassesCount) {
        List<SerializedStatsEntry> entries = new ArrayList<>();
        for (EntrySnapshot e : delta.entries()) {
            if (!e.isEmpty()) {
                entries.add(toWire(e));
            }
        }
        Map<String, StatsError> errors = new LinkedHashMap<>();
        for (ErrorSnapshot e : delta.errors()) {
            if (e.occurrences() > 0) {
                errors.put(ErrorKey.of(e.method(), e.name(), e.error()),
                        new StatsError(e.name(), e.method(), e.error(), e.occurrences(), e.firstSeen(), e.lastSeen()));
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        userClassesCount.forEach((k, v) -> counts.put(k, (long) v));
        Map<String, Object> extra = new LinkedHashMap<>();
        if (!delta.iterations().byClass().isEmpty()) {
            Map<String, IterationCounts> iterations = new LinkedHashMap<>();
            delta.iterations().byClass().forEach((k, c) -> iterations.put(k, new IterationCounts(c.started(), c.dropped(), c.late())));
            extra.put(IterationCounts.KEY, IterationCounts.toData(iterations));
        }
        long users = 0;
        for (long n : counts.values()) {
            users += n;
        }
        return new Stats(entries, toWire(delta.total()), errors, counts, users, extra);
    }

    /** One entry in the wire form: int bucket keys, nil minimum when nothing was timed. */
    public static SerializedStatsEntry toWire(EntrySnapshot e) {
        Map<Long, Long> histogram = new LinkedHashMap<>();
        long[] keys = e.responseTimeKeys();
        long[] counts = e.responseTimeCounts();
        for (int i = 0; i < keys.length; i++) {
            histogram.put(keys[i], counts[i]);
        }
        boolean timed = e.numTimedRequests() > 0;
        return new SerializedStatsEntry(
                e.name(),
                e.method() == null ? "" : e.method(),
                e.lastRequestTimestamp(),
                e.startTime(),
                e.numRequests(),
                e.numNoneRequests(),
                e.numFailures(),
                e.totalResponseTime(),
                timed ? e.maxResponseTime() : 0.0,
                timed ? e.minResponseTime() : null,
                e.totalContentLength(),
                histogram,
                new LinkedHashMap<>(e.numReqsPerSec()),
                new LinkedHashMap<>(e.numFailPerSec()),
                intendedToWire(e.intended()));
    }

    private static IntendedTimes intendedToWire(TimeDistribution d) {
        if (d.isEmpty()) {
            return null;
        }
        Map<Long, Long> histogram = new LinkedHashMap<>();
        for (int i = 0; i < d.keys().length; i++) {
            histogram.put(d.keys()[i], d.counts()[i]);
        }
        return new IntendedTimes(d.count(), d.totalMillis(), d.maxMillis(), d.minMillis(), histogram);
    }

    private static TimeDistribution intendedFromWire(IntendedTimes t) {
        if (t == null) {
            return TimeDistribution.EMPTY;
        }
        TreeMap<Long, Long> histogram = positive(t.responseTimes());
        return TimeDistribution.of(histogram, t.totalResponseTime(), t.minResponseTime(), t.maxResponseTime());
    }

    /** A received entry as an engine snapshot, for {@link RequestStats#merge}. */
    public static EntrySnapshot fromWire(SerializedStatsEntry e) {
        // the histogram's keys are distinct (the protocol sums keys that normalise alike); Locust
        // workers list them in the order they first saw them, jlocust workers in ascending order.
        // An insertion sort of the pairs in place costs little for either; past INSERTION_SORT_MAX
        // keys (no real row has that many) the keys are sorted apart, so that no order a peer
        // chooses makes a report cost more than a few operations per key
        Map<Long, Long> histogram = e.responseTimes();
        Pairs pairs = new Pairs(histogram.size());
        // forEach rather than entrySet: the decoder's maps then hand over their pairs without an entry each
        histogram.forEach(pairs::add);
        long[] keys = pairs.keys;
        long[] counts = pairs.counts;
        int n = pairs.n;
        if (n < keys.length) {
            keys = Arrays.copyOf(keys, n);
            counts = Arrays.copyOf(counts, n);
        }
        if (!pairs.insert) {
            Arrays.sort(keys);
            for (int i = 0; i < n; i++) {
                counts[i] = histogram.get(keys[i]);
            }
        }
        return new EntrySnapshot(
                e.name(),
                e.method() == null ? "" : e.method(),
                e.numRequests(),
                e.numNoneRequests(),
                e.numFailures(),
                e.totalResponseTime(),
                e.minResponseTime(),
                e.maxResponseTime(),
                e.totalContentLength(),
                e.startTime(),
                e.lastRequestTimestamp(),
                keys,
                counts,
                positive(e.numReqsPerSec()),
                positive(e.numFailPerSec()),
                intendedFromWire(e.intendedStart()));
    }

    /** A histogram's positive pairs, kept in key order by insertion up to {@link #INSERTION_SORT_MAX} of them. */
    private static final class Pairs {
        final long[] keys;
        final long[] counts;
        final boolean insert;
        int n;

        Pairs(int size) {
            keys = new long[size];
            counts = new long[size];
            insert = size <= INSERTION_SORT_MAX;
        }

        void add(Long boxedKey, Long boxedCount) {
            long count = boxedCount;
            if (count <= 0) {
                return;
            }
            long key = boxedKey;
            int i = n++;
            for (; insert && i > 0 && keys[i - 1] > key; i--) {
                keys[i] = keys[i - 1];
                counts[i] = counts[i - 1];
            }
            keys[i] = key;
            counts[i] = count;
        }
    }

    private static TreeMap<Long, Long> positive(Map<Long, Long> perSecond) {
        TreeMap<Long, Long> out = new TreeMap<>();
        // a decoded map's keys are distinct (the protocol sums keys that normalise alike)
        perSecond.forEach((k, v) -> {
            if (v > 0) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Adds a worker's report to the master's statistics. */
    public static void merge(RequestStats stats, Stats report) {
        List<EntrySnapshot> entries = new ArrayList<>();
        for (SerializedStatsEntry e : report.entries()) {
            entries.add(fromWire(e));
        }
        List<ErrorSnapshot> errors = new ArrayList<>();
        for (StatsError e : report.errors().values()) {
            if (e.occurrences() > 0) {
                errors.add(new ErrorSnapshot(e.method() == null ? "" : e.method(), e.name(), e.error(), e.occurrences(),
                        e.firstSeen(), e.lastSeen()));
            }
        }
        stats.merge(entries, fromWire(report.total()), errors);
        Map<String, IterationSnapshot.Counts> iterations = new LinkedHashMap<>();
        report.iterations().forEach((k, c) -> iterations.put(k, new IterationSnapshot.Counts(c.started(), c.dropped(), c.late())));
        stats.iterations().merge(iterations);
    }
}
