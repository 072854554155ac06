package io.locusttelemetry.engine.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Locust-compatible request statistics: an entry per (method, name), the aggregated total, the
 * error table. {@link #logRequest} and {@link #logError} run on the users' threads: no lock, and no
 * allocation once an entry exists.
 */
public final class RequestStats {
    /** Name of the aggregated row, as Locust names it. */
    public static final String TOTAL_NAME = "Aggregated";

    private volatile Tables tables = new Tables(nowMicros());

    /** Statistics recorded since the last reset; swapping the whole set keeps reset lock-free. */
    private static final class Tables {
        final ConcurrentHashMap<String, StatsEntry[]> byName = new ConcurrentHashMap<>();
        final StatsEntry total;
        final ConcurrentHashMap<ErrorKey, ErrorCounter> errors = new ConcurrentHashMap<>();
        final IterationStats iterations = new IterationStats();
        final long startMicros;

        Tables(long startMicros) {
            this.startMicros = startMicros;
            this.total = new StatsEntry(TOTAL_NAME, "", startMicros);
        }
    }

    private record ErrorKey(String method, String name, String error) {}

    private static final class ErrorCounter {
        final LongAdder occurrences = new LongAdder();
        final LongAccumulator firstSeen = new LongAccumulator(Math::min, Long.MAX_VALUE);
        final LongAccumulator lastSeen = new LongAccumulator(Math::max, Long.MIN_VALUE);
    }

    /** The entry for (method, name), created on first use. */
    public StatsEntry entry(String name, String method) {
        Tables t = tables;
        return entry(t, name, method);
    }

    private static StatsEntry entry(Tables t, String name, String method) {
        StatsEntry found = find(t.byName.get(name), method);
        if (found != null) {
            return found;
        }
        // first request of this (method, name): copy-on-write, so readers never lock
        StatsEntry[] forName = t.byName.compute(name, (k, existing) -> {
            if (find(existing, method) != null) {
                return existing;
            }
            StatsEntry created = new StatsEntry(name, method, t.startMicros);
            if (existing == null) {
                return new StatsEntry[] {created};
            }
            StatsEntry[] grown = java.util.Arrays.copyOf(existing, existing.length + 1);
            grown[existing.length] = created;
            return grown;
        });
        return find(forName, method);
    }

    private static StatsEntry find(StatsEntry[] entries, String method) {
        if (entries != null) {
            for (StatsEntry e : entries) {
                if (e.method().equals(method)) {
                    return e;
                }
            }
        }
        return null;
    }

    /**
     * Records a completed request.
     *
     * @param responseMicros response time in microseconds, negative for "none" (Locust's None)
     */
    public void logRequest(String method, String name, long responseMicros, long contentLength) {
        logRequest(method, name, responseMicros, contentLength, null);
    }

    /**
     * Records a completed request that failed with {@code error} (a success when null). The request
     * and its failure are counted together, so no snapshot (no worker report) sees one without the
     * other.
     *
     * @param responseMicros response time in microseconds, negative for "none" (Locust's None)
     */
    public void logRequest(String method, String name, long responseMicros, long contentLength, String error) {
        logRequest(method, name, responseMicros, contentLength, error, -1);
    }

    /**
     * Records a completed request, with the time from the intended start of its iteration to its
     * end (an open model, or a paced wait time).
     *
     * @param intendedMicros that time in microseconds, negative when the request had no intended start
     */
    public void logRequest(String method, String name, long responseMicros, long contentLength, String error, long intendedMicros) {
        Tables t = tables;
        long now = nowMicros();
        boolean failed = error != null;
        entry(t, name, method).log(now, responseMicros, contentLength, failed, intendedMicros);
        t.total.log(now, responseMicros, contentLength, failed, intendedMicros);
        if (failed) {
            countError(t, method, name, error, now);
        }
    }

    /** Records a failure of a request already passed to {@link #logRequest(String, String, long, long)} as a success. */
    public void logError(String method, String name, String error) {
        Tables t = tables;
        long now = nowMicros();
        entry(t, name, method).logFailure(now);
        t.total.logFailure(now);
        countError(t, method, name, error, now);
    }

    private static void countError(Tables t, String method, String name, String error, long now) {
        ErrorCounter counter = t.errors.computeIfAbsent(new ErrorKey(method, name, error), k -> new ErrorCounter());
        counter.occurrences.increment();
        counter.firstSeen.accumulate(now);
        counter.lastSeen.accumulate(now);
    }

    /** Adds statistics received from a worker (Locust master semantics). */
    public void merge(List<EntrySnapshot> entries, EntrySnapshot total, List<ErrorSnapshot> errors) {
        Tables t = tables;
        for (EntrySnapshot e : entries) {
            entry(t, e.name(), e.method() == null ? "" : e.method()).merge(e);
        }
        if (total != null) {
            t.total.merge(total);
        }
        for (ErrorSnapshot e : errors) {
            ErrorCounter counter = t.errors.computeIfAbsent(
                    new ErrorKey(e.method(), e.name(), e.error()), k -> new ErrorCounter());
            counter.occurrences.add(e.occurrences());
            if (e.firstSeen() != null) {
                counter.firstSeen.accumulate(Math.round(e.firstSeen() * 1_000_000));
            }
            if (e.lastSeen() != null) {
                counter.lastSeen.accumulate(Math.round(e.lastSeen() * 1_000_000));
            }
        }
    }

    /** The open model's iteration counts since the last reset (on a master: merged from its workers). */
    public IterationStats iterations() {
        return tables.iterations;
    }

    /** Clears everything, as Locust's {@code reset_all}. */
    public void reset() {
        tables = new Tables(nowMicros());
    }

    /** Moves per-second counts older than {@code second} out of the lock-free ring. */
    public void archiveBefore(long second) {
        Tables t = tables;
        t.total.archiveBefore(second);
        t.byName.values().forEach(list -> {
            for (StatsEntry e : list) {
                e.archiveBefore(second);
            }
        });
    }

    /**
     * The statistics now. Their per-second counts cover the last minute, which is what Locust's
     * current rates and a worker's report need, so a snapshot costs the same an hour into a run.
     */
    public StatsSnapshot snapshot() {
        return snapshot(false);
    }

    /** The statistics now, with the per-second counts of the whole run (Locust's {@code --json}). */
    public StatsSnapshot fullSnapshot() {
        return snapshot(true);
    }

    private StatsSnapshot snapshot(boolean everySecond) {
        Tables t = tables;
        List<EntrySnapshot> entries = new ArrayList<>();
        t.byName.values().forEach(list -> {
            for (StatsEntry e : list) {
                entries.add(e.snapshot(everySecond));
            }
        });
        List<ErrorSnapshot> errors = new ArrayList<>();
        for (Map.Entry<ErrorKey, ErrorCounter> e : t.errors.entrySet()) {
            ErrorCounter c = e.getValue();
            long first = c.firstSeen.get();
            long last = c.lastSeen.get();
            errors.add(new ErrorSnapshot(e.getKey().method(), e.getKey().name(), e.getKey().error(),
                    c.occurrences.sum(),
                    first == Long.MAX_VALUE ? null : first / 1_000_000.0,
                    last == Long.MIN_VALUE ? null : last / 1_000_000.0));
        }
        return new StatsSnapshot(entries, t.total.snapshot(everySecond), errors, t.iterations.snapshot());
    }

    /** Unix time in microseconds. */
    public static long nowMicros() {
        return EPOCH_OFFSET_MICROS + System.nanoTime() / 1000;
    }

    // nanoTime is monotonic and allocation-free; anchoring it once to the wall clock is precise enough for stats
    private static final long EPOCH_OFFSET_MICROS = computeOffset();

    private static long computeOffset() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - System.nanoTime() / 1000;
    }
}
