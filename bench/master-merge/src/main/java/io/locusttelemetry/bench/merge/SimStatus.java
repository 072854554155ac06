package io.locusttelemetry.bench.merge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The simulator's counters, owned by its one thread, and the files a script reads them from: a
 * status file of {@code key=value} lines rewritten every second (cumulative counters, so that a
 * script takes differences at the edges of its window) and, when asked for, one line a second of
 * heartbeat replies ({@code elapsed_s replies max_ms over_1s}: how long each reply took after the
 * oldest heartbeat it answered), so a script finds the worst second of its window.
 */
final class SimStatus {
    /** Reply latency classes, 10 ms wide, up to 30 s. */
    private static final int LATENCY_SLOTS = 3000;

    long statsReports;
    long busyReports;
    long finalReports;
    long requests;
    long failures;
    long heartbeats;
    long heartbeatReplies;
    long spawnsReceived;
    long broadcastsReceived;
    long otherReceived;
    long reconnects;
    long closedByPeer;
    long sendFailures;
    long reportBytes;
    long busyEntries;
    long busyBuckets;
    long maxReportBytes;
    /** Unix ms of the earliest and the latest first spawn of a worker (-1: none yet), and how many got one. */
    long firstSpawnMs = -1;
    long lastSpawnMs = -1;
    int spawnedWorkers;

    private final long[] latency = new long[LATENCY_SLOTS + 1];
    private long latencyMaxNanos;
    private long heartbeatGapMaxNanos;
    private long heartbeatGapsOver3s;
    private long latencyOver1s;
    private long secondReplies;
    private long secondMaxNanos;
    private long secondOver1s;
    private final long startNanos = System.nanoTime();
    private final Path status;
    private final Path latencyFile;

    SimStatus(Path status, Path latencyFile) {
        this.status = status;
        this.latencyFile = latencyFile;
        if (latencyFile != null) {
            write(latencyFile, "elapsed_s\treplies\tmax_ms\tover_1s\n", false);
        }
    }

    /** A heartbeat reply that came {@code nanos} after the oldest heartbeat it answered. */
    void replyLatency(long nanos) {
        latency[(int) Math.min(LATENCY_SLOTS, nanos / 10_000_000L)]++;
        latencyMaxNanos = Math.max(latencyMaxNanos, nanos);
        secondMaxNanos = Math.max(secondMaxNanos, nanos);
        secondReplies++;
        if (nanos > 1_000_000_000L) {
            latencyOver1s++;
            secondOver1s++;
        }
    }

    /**
     * The time between two heartbeats one worker sent: a simulator short of CPU sends them late,
     * and a master rightly marks missing a worker silent for more than about 3 s.
     */
    void heartbeatGap(long nanos) {
        heartbeatGapMaxNanos = Math.max(heartbeatGapMaxNanos, nanos);
        if (nanos > 3_000_000_000L) {
            heartbeatGapsOver3s++;
        }
    }

    /** A worker's first spawn of the test arrived now. */
    void spawned() {
        long now = System.currentTimeMillis();
        if (firstSpawnMs < 0) {
            firstSpawnMs = now;
        }
        lastSpawnMs = now;
        spawnedWorkers++;
    }

    void report(long bytes, long rows, long buckets, long numRequests, long numFailures, boolean last) {
        statsReports++;
        if (last) {
            finalReports++;
        }
        requests += numRequests;
        failures += numFailures;
        reportBytes += bytes;
        maxReportBytes = Math.max(maxReportBytes, bytes);
        if (rows > 0) {
            busyReports++;
            busyEntries += rows;
            busyBuckets += buckets;
        }
    }

    /** Rewrites the status file (with the workers' own counts) and adds the second's latency line. */
    void write(Map<String, Object> workerCounts, boolean done) {
        if (latencyFile != null) {
            write(latencyFile, String.format(Locale.ROOT, "%.1f\t%d\t%.0f\t%d%n", elapsed(), secondReplies,
                    secondMaxNanos / 1e6, secondOver1s), true);
        }
        secondReplies = 0;
        secondMaxNanos = 0;
        secondOver1s = 0;
        if (status == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        counters(workerCounts).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        sb.append("done=").append(done ? 1 : 0).append('\n');
        Path tmp = status.resolveSibling(status.getFileName() + ".tmp");
        write(tmp, sb.toString(), false);
        try {
            Files.move(tmp, status, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String summary(Map<String, Object> workerCounts) {
        StringBuilder sb = new StringBuilder("simulator:");
        counters(workerCounts).forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    private Map<String, Object> counters(Map<String, Object> workerCounts) {
        Map<String, Object> c = new LinkedHashMap<>(workerCounts);
        c.put("reports", statsReports);
        c.put("busy_reports", busyReports);
        c.put("final_reports", finalReports);
        c.put("requests", requests);
        c.put("failures", failures);
        c.put("heartbeats", heartbeats);
        c.put("heartbeat_replies", heartbeatReplies);
        c.put("heartbeat_reply_p50_ms", percentile(0.50));
        c.put("heartbeat_reply_p99_ms", percentile(0.99));
        c.put("heartbeat_reply_max_ms", fmt(latencyMaxNanos / 1e6));
        c.put("heartbeat_replies_over_1s", latencyOver1s);
        c.put("heartbeat_send_gap_max_ms", fmt(heartbeatGapMaxNanos / 1e6));
        c.put("heartbeat_send_gaps_over_3s", heartbeatGapsOver3s);
        c.put("spawns", spawnsReceived);
        c.put("spawned_workers", spawnedWorkers);
        c.put("first_spawn_unix_ms", firstSpawnMs);
        c.put("last_spawn_unix_ms", lastSpawnMs);
        c.put("spawning_complete_broadcasts", broadcastsReceived);
        c.put("other_messages", otherReceived);
        c.put("reconnects", reconnects);
        c.put("connections_closed", closedByPeer);
        c.put("send_failures", sendFailures);
        c.put("avg_report_bytes", statsReports == 0 ? 0 : reportBytes / statsReports);
        c.put("max_report_bytes", maxReportBytes);
        c.put("avg_rows_per_busy_report", busyReports == 0 ? "0" : fmt(busyEntries / (double) busyReports));
        c.put("avg_buckets_per_row", busyEntries == 0 ? "0" : fmt(busyBuckets / (double) busyEntries));
        c.put("elapsed_s", fmt(elapsed()));
        return c;
    }

    /** The upper edge (ms) of the latency class holding that fraction of the replies so far. */
    private long percentile(double fraction) {
        long total = 0;
        for (long n : latency) {
            total += n;
        }
        if (total == 0) {
            return 0;
        }
        long want = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < latency.length; i++) {
            seen += latency[i];
            if (seen >= want) {
                return (i + 1) * 10L;
            }
        }
        return LATENCY_SLOTS * 10L;
    }

    private double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static void write(Path file, String text, boolean append) {
        try {
            if (append) {
                Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } else {
                Files.writeString(file, text, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
