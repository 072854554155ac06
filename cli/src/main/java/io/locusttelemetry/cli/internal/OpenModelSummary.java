package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.stats.IterationSnapshot;
import io.locusttelemetry.engine.stats.IterationStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The open model's lines of the final summary: per user class the iterations scheduled and
 * started per second, those dropped and those that started late, and a warning when the
 * generator (its user limit, or its CPU) rather than the system under test held the load back.
 */
public final class OpenModelSummary {
    /** Late starts above this share of the started ones are worth a warning. */
    static final double LATE_WARNING_SHARE = 0.01;

    private OpenModelSummary() {}

    /**
     * @param seconds how long the iterations ran (the statistics' age)
     * @return no lines for a closed model
     */
    public static List<String> lines(IterationSnapshot iterations, double seconds) {
        List<String> out = new ArrayList<>();
        if (iterations.isEmpty()) {
            return out;
        }
        double s = Math.max(seconds, 1e-9);
        IterationSnapshot.Counts total = iterations.total();
        out.add(String.format(Locale.ROOT, "Iterations (open model): %d scheduled, %d started, %d dropped, %d late"
                + " (started more than %.0f ms after their intended start)%s", total.scheduled(), total.started(), total.dropped(),
                total.late(), IterationStats.LATE_AFTER_MILLIS,
                iterations.lateP99Millis() == null ? "" : String.format(Locale.ROOT, "; starts late by %.1f ms at p99",
                        iterations.lateP99Millis())));
        out.add(String.format(Locale.ROOT, "%-40s %12s %12s %10s %10s", "User class", "scheduled/s", "started/s", "dropped", "late"));
        for (Map.Entry<String, IterationSnapshot.Counts> e : iterations.byClass().entrySet()) {
            IterationSnapshot.Counts c = e.getValue();
            out.add(String.format(Locale.ROOT, "%-40s %12.2f %12.2f %10d %10d", Text.escapeControl(e.getKey()), c.scheduled() / s,
                    c.started() / s, c.dropped(), c.late()));
        }
        warnings(total).forEach(out::add);
        return out;
    }

    /** One line per limit the generator hit, naming it: its users (--max-users) or its CPU. */
    public static List<String> warnings(IterationSnapshot.Counts total) {
        List<String> out = new ArrayList<>();
        if (total.dropped() > 0) {
            out.add(String.format(Locale.ROOT, "Warning: %d of %d iterations (%.1f%%) were dropped because every user was busy"
                    + " at --max-users: the generator's user limit held the load back, not the system under test (raise"
                    + " --max-users to offer the full rate)", total.dropped(), total.scheduled(),
                    100.0 * total.dropped() / total.scheduled()));
        }
        if (total.started() > 0 && total.late() > LATE_WARNING_SHARE * total.started()) {
            out.add(String.format(Locale.ROOT, "Warning: %d of %d iterations (%.1f%%) started more than %.0f ms late: the"
                    + " generator could not start them on time (its CPU, or slow onStart of new users), not the system"
                    + " under test; the times from the intended start include that delay", total.late(), total.started(),
                    100.0 * total.late() / total.started(), IterationStats.LATE_AFTER_MILLIS));
        }
        return out;
    }
}
