package io.locusttelemetry.cli.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.protocol.ReportCheck;
import io.locusttelemetry.protocol.SerializedStatsEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a baseline for {@code --compare-to}: the final statistics as {@code --json-file} (or
 * Locust's {@code --json} and {@code --json-file}) wrote them, a list of Locust's serialised
 * entries, or the object {@code --json} prints with thresholds ({@code {"stats": [...]}}).
 *
 * <p>The file is untrusted: its entries must be values a Locust run can produce, the rules a
 * master applies to a worker's report ({@link ReportCheck}), with the file's own newest timestamp
 * as the clock. The total is recomputed from the entries, as Locust's files have none; the
 * per-second counts are not read (a comparison uses the whole run's rates).
 */
public final class BaselineFile {
    /** Larger files are refused unread: an hour of per-second counts of 100 endpoints is far below it. */
    static final long MAX_BYTES = 256L << 20;
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

    private BaselineFile() {}

    /**
     * @throws CliException {@code Invalid --compare-to FILE: reason}, one line
     */
    public static StatsSnapshot read(String file, String option) {
        String prefix = "Invalid " + option + " " + file + ": ";
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new CliException(prefix + "not a valid file name");
        }
        byte[] bytes;
        try {
            if (!Files.isRegularFile(path)) {
                throw new CliException(prefix + "no such file (write one with --json-file)");
            }
            if (Files.size(path) > MAX_BYTES) {
                throw new CliException(prefix + "larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new CliException(prefix + ReportFiles.reason(e));
        }
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new CliException(prefix + e.getMessage());
        }
    }

    /**
     * The statistics in a baseline's bytes.
     *
     * @throws IllegalArgumentException one line saying what is wrong
     */
    static StatsSnapshot parse(byte[] bytes) {
        Object root;
        try {
            root = JSON.readValue(bytes, Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON (" + Text.escapeControl(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read (" + e + ")");
        }
        Object rows = root instanceof Map<?, ?> m ? m.get("stats") : root;
        if (!(rows instanceof List<?> list)) {
            throw new IllegalArgumentException("not a list of statistics entries (the file --json-file or Locust's --json writes)");
        }
        List<Object> entries = new ArrayList<>(list.size());
        double now = 0;
        for (Object row : list) {
            Object entry = withNumberKeys(row);
            entries.add(entry);
            if (entry instanceof Map<?, ?> e) {
                now = Math.max(now, seconds(e.get("last_request_timestamp")));
                now = Math.max(now, seconds(e.get("start_time")));
            }
        }
        Map<String, Object> report = Map.of("stats", entries, "stats_total", SerializedStatsEntry.empty("Aggregated", "", 0).toData());
        String problem = ReportCheck.stats(report, now == 0 ? System.currentTimeMillis() / 1000.0 : now);
        if (problem != null) {
            throw new IllegalArgumentException(Text.escapeControl(problem));
        }
        RequestStats stats = new RequestStats();
        Set<String> seen = new HashSet<>();
        double start = Double.MAX_VALUE;
        for (Object entry : entries) {
            EntrySnapshot e = snapshot(SerializedStatsEntry.fromData(entry));
            if (!seen.add(e.method() + "\u0000" + e.name())) {
                throw new IllegalArgumentException("the entry " + Text.escapeControl(e.method() + " " + e.name()) + " appears twice");
            }
            if (e.startTime() > 0) {
                start = Math.min(start, e.startTime());
            }
            stats.merge(List.of(e), e, List.of());
        }
        StatsSnapshot merged = stats.snapshot();
        EntrySnapshot t = merged.total();
        // the total starts with its first entry, as in the run that wrote the file (Locust's rps divides by that span)
        Double last = t.lastRequestTimestamp();
        double totalStart = last == null || start == Double.MAX_VALUE || start >= last ? 0 : start;
        EntrySnapshot total = new EntrySnapshot(t.name(), t.method(), t.numRequests(), t.numNoneRequests(), t.numFailures(),
                t.totalResponseTime(), t.minResponseTime(), t.maxResponseTime(), t.totalContentLength(), totalStart, last,
                t.responseTimeKeys(), t.responseTimeCounts(), new TreeMap<>(), new TreeMap<>());
        return new StatsSnapshot(merged.entries(), total, List.of());
    }

    private static double seconds(Object v) {
        return v instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : 0;
    }

    /** JSON keys are text: the histogram's and per-second maps' keys become numbers, as on the wire. */
    private static Object withNumberKeys(Object row) {
        if (!(row instanceof Map<?, ?> m)) {
            return row;
        }
        Map<Object, Object> out = new LinkedHashMap<>(m);
        for (String field : new String[] {"response_times", "num_reqs_per_sec", "num_fail_per_sec"}) {
            if (m.get(field) instanceof Map<?, ?> counts) {
                Map<Object, Object> keyed = new LinkedHashMap<>();
                counts.forEach((k, v) -> keyed.put(numberKey(k), v));
                out.put(field, keyed);
            }
        }
        return out;
    }

    private static Object numberKey(Object key) {
        if (key instanceof String s && s.matches("-?\\d{1,18}(\\.0+)?")) {
            return Long.parseLong(s.contains(".") ? s.substring(0, s.indexOf('.')) : s);
        }
        return key;
    }

    private static EntrySnapshot snapshot(SerializedStatsEntry e) {
        TreeMap<Long, Long> histogram = new TreeMap<>();
        e.responseTimes().forEach((k, v) -> {
            if (v > 0) {
                histogram.merge(k, v, Long::sum);
            }
        });
        long[] keys = histogram.keySet().stream().mapToLong(Long::longValue).toArray();
        long[] counts = histogram.values().stream().mapToLong(Long::longValue).toArray();
        return new EntrySnapshot(e.name(), e.method() == null ? "" : e.method(), e.numRequests(), e.numNoneRequests(), e.numFailures(),
                e.totalResponseTime(), e.minResponseTime(), e.maxResponseTime(), e.totalContentLength(), e.startTime(),
                e.lastRequestTimestamp(), keys, counts, new TreeMap<>(), new TreeMap<>());
    }
}
