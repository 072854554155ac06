package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.stats.StatsComparison;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.thresholds.ThresholdExpression;
import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a run is judged at its end: each threshold's outcome, the abort-on-fail threshold that
 * stopped it early, and its comparison with a baseline with what regressed beyond the allowed
 * percentage.
 *
 * @param thresholds    every threshold's outcome, in the order given
 * @param abortedBy     the threshold that stopped the test early, or null
 * @param comparison    the comparison with {@code --compare-to}, or null
 * @param maxRegression {@code --max-regression} in percent, or null (then nothing regresses)
 * @param regressions   what got worse by more than {@code maxRegression}
 */
public record Verdict(List<ThresholdOutcome> thresholds, ThresholdOutcome abortedBy, StatsComparison comparison,
                      Double maxRegression, List<StatsComparison.Regression> regressions) {

    public Verdict {
        thresholds = List.copyOf(thresholds);
        regressions = List.copyOf(regressions);
    }

    /** Nothing to judge. */
    public static Verdict none() {
        return new Verdict(List.of(), null, null, null, List.of());
    }

    /** Judges {@code stats} (the final statistics). */
    public static Verdict of(List<ThresholdExpression> thresholds, ThresholdOutcome abortedBy, StatsSnapshot baseline,
                             Double maxRegression, StatsSnapshot stats) {
        StatsComparison comparison = baseline == null ? null : StatsComparison.of(baseline, stats);
        List<StatsComparison.Regression> regressions = comparison == null || maxRegression == null
                ? List.of() : comparison.regressions(maxRegression);
        return new Verdict(ThresholdOutcome.evaluate(thresholds, stats), abortedBy, comparison, maxRegression, regressions);
    }

    /** Whether there is anything to report beyond the statistics. */
    public boolean isEmpty() {
        return thresholds.isEmpty() && comparison == null;
    }

    /** Whether {@code outcome} is that of the threshold that stopped the test early. */
    public boolean stopped(ThresholdOutcome outcome) {
        return abortedBy != null && outcome.threshold() == abortedBy.threshold();
    }

    /** Whether every threshold held and nothing regressed. */
    public boolean passed() {
        return ThresholdOutcome.allPassed(thresholds) && regressions.isEmpty();
    }

    /** One line per failed threshold and per regression, for the log and a build's failure message. */
    public List<String> failures() {
        List<String> out = new ArrayList<>();
        for (ThresholdOutcome o : thresholds) {
            if (!o.passed()) {
                out.add("threshold " + o.summary() + (stopped(o) ? " - stopped the test early (abort-on-fail)" : ""));
            }
        }
        for (StatsComparison.Regression r : regressions) {
            out.add(r.summary() + " - more than " + percent(maxRegression) + " worse than the baseline");
        }
        return out;
    }

    /** {@code 10%}, {@code 2.5%}. */
    static String percent(double value) {
        String s = String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }
}
