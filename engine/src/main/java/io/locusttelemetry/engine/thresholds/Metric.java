package io.locusttelemetry.engine.thresholds;

import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statistic a threshold can name: {@code p95}, {@code avg}, {@code rps}, {@code fail_ratio}, ...
 * read from one entry (an endpoint or the total) of a {@link StatsSnapshot}.
 *
 * <p>The set is two tables: {@link #FIXED} (one name, one reading) and {@link #PERCENTILE_FAMILIES}
 * (a prefix followed by a percentile, {@code p99.9}). A new statistic is one line in one of them,
 * e.g. a second latency measured from the intended start would add a family and its averages.
 */
public final class Metric {

    /** What a metric's numbers are, for parsing limits ({@code 300ms}, {@code 1.5s}, {@code 1%}) and printing them. */
    public enum Unit {
        /** Milliseconds; a limit may be written {@code 300}, {@code 300ms} or {@code 0.3s}. */
        MILLISECONDS,
        /** Per second; a limit may be written {@code 100} or {@code 100/s}. */
        PER_SECOND,
        /** A ratio from 0 to 1; a limit may be written {@code 0.01} or {@code 1%}. */
        RATIO,
        /** A count. */
        COUNT
    }

    /** How a metric reads its value from one entry of a snapshot. */
    @FunctionalInterface
    public interface Reading {
        double read(EntrySnapshot entry, StatsSnapshot stats);
    }

    /** How a percentile family reads percentile {@code quantile} (0 to 1) of one entry. */
    @FunctionalInterface
    public interface PercentileReading {
        double read(EntrySnapshot entry, StatsSnapshot stats, double quantile);
    }

    private static final Map<String, Metric> FIXED = new LinkedHashMap<>();
    private static final Map<String, PercentileReading> PERCENTILE_FAMILIES = new LinkedHashMap<>();
    private static final Pattern PERCENTILE = Pattern.compile("([a-z_]*?)(\\d{1,3}(?:\\.\\d{1,4})?)");

    static {
        PERCENTILE_FAMILIES.put("p", (e, s, q) -> e.percentile(q));
        fixed("avg", Unit.MILLISECONDS, (e, s) -> e.avgResponseTime());
        fixed("median", Unit.MILLISECONDS, (e, s) -> e.medianResponseTime());
        fixed("min", Unit.MILLISECONDS, (e, s) -> e.minResponseTime() == null ? 0 : e.minResponseTime());
        fixed("max", Unit.MILLISECONDS, (e, s) -> e.maxResponseTime());
        fixed("rps", Unit.PER_SECOND, (e, s) -> s.totalRps(e));
        fixed("fail_ratio", Unit.RATIO, (e, s) -> e.failRatio());
        fixed("failures", Unit.COUNT, (e, s) -> e.numFailures());
        fixed("requests", Unit.COUNT, (e, s) -> e.numRequests());
    }

    private static void fixed(String name, Unit unit, Reading reading) {
        FIXED.put(name, new Metric(name, unit, reading));
    }

    private final String name;
    private final Unit unit;
    private final Reading reading;

    private Metric(String name, Unit unit, Reading reading) {
        this.name = name;
        this.unit = unit;
        this.reading = reading;
    }

    /** The metric of that name ({@code p95}, {@code p99.9}, {@code avg}, ...), or null when there is none. */
    public static Metric named(String name) {
        if (name == null) {
            return null;
        }
        Metric m = FIXED.get(name);
        if (m != null) {
            return m;
        }
        Matcher pm = PERCENTILE.matcher(name);
        if (!pm.matches()) {
            return null;
        }
        PercentileReading family = PERCENTILE_FAMILIES.get(pm.group(1));
        double percent = Double.parseDouble(pm.group(2));
        if (family == null || !(percent > 0) || percent > 100) {
            return null;
        }
        double quantile = percent / 100;
        return new Metric(name, Unit.MILLISECONDS, (e, s) -> family.read(e, s, quantile));
    }

    /** The names a user may write, for messages: {@code p50, p95, p99, p99.9 (any pN), avg, ...}. */
    public static String knownNames() {
        List<String> names = new ArrayList<>();
        for (String prefix : PERCENTILE_FAMILIES.keySet()) {
            names.add(prefix + "50, " + prefix + "95, " + prefix + "99, " + prefix + "99.9 (any " + prefix + "N)");
        }
        names.addAll(FIXED.keySet());
        return String.join(", ", names);
    }

    /** Every metric of one name, in the order of {@link #knownNames()}; percentile families as their p50. */
    public static List<String> fixedNames() {
        return Collections.unmodifiableList(new ArrayList<>(FIXED.keySet()));
    }

    public String name() {
        return name;
    }

    public Unit unit() {
        return unit;
    }

    /** Whether the metric is a response time, which needs at least one timed request to mean anything. */
    public boolean isResponseTime() {
        return unit == Unit.MILLISECONDS;
    }

    /** The metric's value for {@code entry}, an entry of {@code stats} or its total. */
    public double read(EntrySnapshot entry, StatsSnapshot stats) {
        return reading.read(entry, stats);
    }

    /** A value of this metric as a person reads it: {@code 250 ms}, {@code 12.5 ms}, {@code 103.20/s}, {@code 0.25%}, {@code 17}. */
    public String format(double value) {
        return switch (unit) {
            case MILLISECONDS -> number(value) + " ms";
            case PER_SECOND -> String.format(Locale.ROOT, "%.2f/s", value);
            case RATIO -> number(value * 100) + "%";
            case COUNT -> number(value);
        };
    }

    /** An integer as it is, else up to two decimals. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metric m && m.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
