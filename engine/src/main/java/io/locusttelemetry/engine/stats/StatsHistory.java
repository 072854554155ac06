package io.locusttelemetry.engine.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What the runner records about the aggregated total once a second: the time series of charts and
 * of {@code _stats_history.csv}, and the sliding window behind "current" percentiles (the last ~10 s).
 */
public final class StatsHistory {

    /**
     * One second of the run.
     *
     * @param timestamp          Unix seconds
     * @param currentPercentiles response time percentiles of the last ~10 s, in the order of
     *                           {@link EntrySnapshot#PERCENTILES_TO_REPORT}
     * @param generatorSaturated whether the load generator was saturated in this second (see
     *                           {@link #markGeneratorSaturated}): its numbers may measure the generator
     * @param currentIntendedPercentiles the same percentiles of the response times from the intended
     *                           start (open model, paced wait times); empty when there were none
     * @param droppedIterations  iterations of an open model dropped so far
     */
    public record Point(
            long timestamp,
            int userCount,
            double currentRps,
            double currentFailPerSec,
            long[] currentPercentiles,
            long totalRequests,
            long totalFailures,
            double medianResponseTime,
            double avgResponseTime,
            double minResponseTime,
            double maxResponseTime,
            double avgContentLength,
            boolean generatorSaturated,
            long[] currentIntendedPercentiles,
            long droppedIterations) {

        /** A point of a closed model, without times from an intended start. */
        public Point(long timestamp, int userCount, double currentRps, double currentFailPerSec, long[] currentPercentiles,
                     long totalRequests, long totalFailures, double medianResponseTime, double avgResponseTime,
                     double minResponseTime, double maxResponseTime, double avgContentLength, boolean generatorSaturated) {
            this(timestamp, userCount, currentRps, currentFailPerSec, currentPercentiles, totalRequests, totalFailures,
                    medianResponseTime, avgResponseTime, minResponseTime, maxResponseTime, avgContentLength, generatorSaturated,
                    new long[0], 0);
        }

        public long currentPercentile(double p) {
            return currentPercentiles[indexOf(p)];
        }

        /** A percentile of the last ~10 s's response times from the intended start; -1 when there were none. */
        public long currentIntendedPercentile(double p) {
            return currentIntendedPercentiles.length == 0 ? -1 : currentIntendedPercentiles[indexOf(p)];
        }

        private static int indexOf(double p) {
            double[] ps = EntrySnapshot.PERCENTILES_TO_REPORT;
            for (int i = 0; i < ps.length; i++) {
                if (ps[i] == p) {
                    return i;
                }
            }
            throw new IllegalArgumentException("not a reported percentile: " + p);
        }

        Point saturated() {
            return new Point(timestamp, userCount, currentRps, currentFailPerSec, currentPercentiles, totalRequests, totalFailures,
                    medianResponseTime, avgResponseTime, minResponseTime, maxResponseTime, avgContentLength, true,
                    currentIntendedPercentiles, droppedIterations);
        }
    }

    private record Window(long second, long[] keys, long[] counts, long requests, TimeDistribution intended) {}

    private final List<Point> points = new ArrayList<>();
    private final java.util.Set<Long> saturatedSeconds = new java.util.HashSet<>();
    private final Deque<Window> windows = new ArrayDeque<>();

    /** Records one point from a snapshot of the stats; called by the runner's ticker only. */
    public synchronized Point record(StatsSnapshot stats, int userCount, long nowSecond) {
        EntrySnapshot total = stats.total();
        windows.addLast(new Window(nowSecond, total.responseTimeKeys(), total.responseTimeCounts(), total.numRequests(),
                total.intended()));
        while (windows.size() > 21) {
            windows.removeFirst();
        }
        Window old = null;
        for (Window w : windows) {
            if (w.second <= nowSecond - 10) {
                old = w;
            }
        }
        if (old == null) {
            old = windows.peekFirst();
        }
        long[] current = currentPercentiles(total, old);
        Point p = new Point(nowSecond, userCount, stats.currentRps(total), stats.currentFailPerSec(total), current,
                total.numRequests(), total.numFailures(), total.medianResponseTime(), total.avgResponseTime(),
                total.minResponseTime() == null ? 0 : total.minResponseTime(), total.maxResponseTime(),
                total.avgContentLength(), false, currentIntendedPercentiles(total.intended(), old),
                stats.iterations().total().dropped());
        points.add(p);
        return p;
    }

    private static long[] currentPercentiles(EntrySnapshot total, Window old) {
        double[] ps = EntrySnapshot.PERCENTILES_TO_REPORT;
        long[] out = new long[ps.length];
        java.util.TreeMap<Long, Long> diff = new java.util.TreeMap<>(total.responseTimes());
        long requests = total.numRequests();
        if (old != null && old.requests <= requests) {
            for (int i = 0; i < old.keys.length; i++) {
                long left = diff.getOrDefault(old.keys[i], 0L) - old.counts[i];
                if (left > 0) {
                    diff.put(old.keys[i], left);
                } else {
                    diff.remove(old.keys[i]);
                }
            }
            requests -= old.requests;
        }
        long[] keys = diff.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] counts = diff.values().stream().mapToLong(Long::longValue).toArray();
        for (int i = 0; i < ps.length; i++) {
            out[i] = EntrySnapshot.percentileOf(keys, counts, requests, ps[i]);
        }
        return out;
    }

    private static long[] currentIntendedPercentiles(TimeDistribution now, Window old) {
        if (now.isEmpty()) {
            return new long[0];
        }
        TimeDistribution recent = old != null && old.intended.count() <= now.count() ? now.minus(old.intended) : now;
        double[] ps = EntrySnapshot.PERCENTILES_TO_REPORT;
        long[] out = new long[ps.length];
        for (int i = 0; i < ps.length; i++) {
            out[i] = recent.percentile(ps[i]);
        }
        return out;
    }

    /** Every point so far, oldest first. */
    public synchronized List<Point> points() {
        if (saturatedSeconds.isEmpty()) {
            return List.copyOf(points);
        }
        List<Point> out = new ArrayList<>(points.size());
        for (Point p : points) {
            out.add(saturatedSeconds.contains(p.timestamp()) && !p.generatorSaturated() ? p.saturated() : p);
        }
        return List.copyOf(out);
    }

    /** Marks the second {@code unixSecond} (a point's timestamp, before or after it is recorded) as one when the generator was saturated. */
    public synchronized void markGeneratorSaturated(long unixSecond) {
        saturatedSeconds.add(unixSecond);
    }

    /** The latest point, or null. */
    public synchronized Point latest() {
        return points.isEmpty() ? null : points.get(points.size() - 1);
    }

    public synchronized void clear() {
        points.clear();
        saturatedSeconds.clear();
        windows.clear();
    }
}
