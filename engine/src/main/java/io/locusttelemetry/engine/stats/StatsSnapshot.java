package io.locusttelemetry.engine.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All request statistics at one moment: one entry per (method, name), the aggregated total, the
 * error table and, for an open model, the iterations. Derived rates use the stats-wide start and
 * last-request times as Locust does.
 */
public record StatsSnapshot(List<EntrySnapshot> entries, EntrySnapshot total, List<ErrorSnapshot> errors,
                            IterationSnapshot iterations) {

    public StatsSnapshot {
        entries = List.copyOf(entries);
        errors = List.copyOf(errors);
        iterations = iterations == null ? IterationSnapshot.EMPTY : iterations;
    }

    /** Statistics without iterations (a closed model). */
    public StatsSnapshot(List<EntrySnapshot> entries, EntrySnapshot total, List<ErrorSnapshot> errors) {
        this(entries, total, errors, IterationSnapshot.EMPTY);
    }

    /** Entries sorted as Locust's tables sort them: by name, then method. */
    public List<EntrySnapshot> sortedEntries() {
        List<EntrySnapshot> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(EntrySnapshot::name).thenComparing(e -> e.method() == null ? "" : e.method()));
        return Collections.unmodifiableList(sorted);
    }

    public double startTime() {
        return total.startTime();
    }

    public Double lastRequestTimestamp() {
        return total.lastRequestTimestamp();
    }

    public double totalRps(EntrySnapshot e) {
        return e.totalRps(startTime(), lastRequestTimestamp());
    }

    public double totalFailPerSec(EntrySnapshot e) {
        return e.totalFailPerSec(startTime(), lastRequestTimestamp());
    }

    public double currentRps(EntrySnapshot e) {
        return e.currentRps(startTime(), lastRequestTimestamp());
    }

    public double currentFailPerSec(EntrySnapshot e) {
        return e.currentFailPerSec(startTime(), lastRequestTimestamp());
    }

    /** What happened since {@code previous}, for a worker's delta report. */
    public StatsSnapshot minus(StatsSnapshot previous, double intervalStart) {
        if (previous == null) {
            return this;
        }
        Map<String, EntrySnapshot> before = new LinkedHashMap<>();
        previous.entries.forEach(e -> before.put(e.method() + "\u0000" + e.name(), e));
        List<EntrySnapshot> deltas = new ArrayList<>();
        for (EntrySnapshot e : entries) {
            EntrySnapshot d = e.minus(before.get(e.method() + "\u0000" + e.name()), intervalStart);
            if (!d.isEmpty()) {
                deltas.add(d);
            }
        }
        Map<String, ErrorSnapshot> errorsBefore = new LinkedHashMap<>();
        previous.errors.forEach(e -> errorsBefore.put(e.method() + "\u0000" + e.name() + "\u0000" + e.error(), e));
        List<ErrorSnapshot> errorDeltas = new ArrayList<>();
        for (ErrorSnapshot e : errors) {
            ErrorSnapshot d = e.minus(errorsBefore.get(e.method() + "\u0000" + e.name() + "\u0000" + e.error()));
            if (d.occurrences() > 0) {
                errorDeltas.add(d);
            }
        }
        return new StatsSnapshot(deltas, total.minus(previous.total, intervalStart), errorDeltas, iterations.minus(previous.iterations));
    }
}
