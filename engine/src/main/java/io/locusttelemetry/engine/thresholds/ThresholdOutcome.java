package io.locusttelemetry.engine.thresholds;

import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A threshold evaluated against statistics: what was measured, whether it held and by how much.
 * A threshold that cannot be measured (no such endpoint, no timed request for a response time)
 * fails, so that a misspelt endpoint never passes silently.
 *
 * @param threshold the threshold
 * @param measured  the measured value in the metric's unit, or null when it could not be measured
 * @param passed    whether the threshold held
 * @param problem   why it could not be measured, or null
 */
public record ThresholdOutcome(ThresholdExpression threshold, Double measured, boolean passed, String problem) {

    /** Evaluates {@code threshold} against {@code stats}. */
    public static ThresholdOutcome evaluate(ThresholdExpression threshold, StatsSnapshot stats) {
        Endpoints.Match match = Endpoints.find(stats, threshold.endpoint());
        if (match.entry() == null) {
            return new ThresholdOutcome(threshold, null, false, match.problem());
        }
        EntrySnapshot e = match.entry();
        if (threshold.metric().isResponseTime() && e.numTimedRequests() == 0) {
            return new ThresholdOutcome(threshold, null, false, "no request with a response time yet");
        }
        double measured = threshold.metric().read(e, stats);
        return new ThresholdOutcome(threshold, measured, threshold.holds(measured), null);
    }

    /** Evaluates each threshold, in order. */
    public static List<ThresholdOutcome> evaluate(List<ThresholdExpression> thresholds, StatsSnapshot stats) {
        List<ThresholdOutcome> out = new ArrayList<>(thresholds.size());
        for (ThresholdExpression t : thresholds) {
            out.add(evaluate(t, stats));
        }
        return List.copyOf(out);
    }

    /** Whether every outcome passed (true for none). */
    public static boolean allPassed(List<ThresholdOutcome> outcomes) {
        return outcomes.stream().allMatch(ThresholdOutcome::passed);
    }

    /**
     * How far inside the limit the measured value is, in the metric's unit: positive with room to
     * spare, negative past the limit; null when nothing was measured.
     */
    public Double margin() {
        return measured == null ? null : threshold.comparison().margin(measured, threshold.limit());
    }

    /** {@link #margin()} as a percentage of the limit; null when nothing was measured or the limit is 0. */
    public Double marginPercent() {
        Double m = margin();
        return m == null || threshold.limit() == 0 ? null : m / Math.abs(threshold.limit()) * 100;
    }

    /** The measured value as a person reads it ({@code 250 ms}), or {@code no data}. */
    public String measuredText() {
        return measured == null ? "no data" : threshold.metric().format(measured);
    }

    /** The margin as a person reads it: {@code +50 ms (+17%)}, {@code -150 ms (-19%)}, {@code 0 ms (0%)}; empty without a measurement. */
    public String marginText() {
        Double m = margin();
        if (m == null) {
            return "";
        }
        String value = threshold.metric().format(Math.abs(m));
        String text = (m < 0 ? "-" : m > 0 ? "+" : "") + value;
        Double pct = marginPercent();
        if (pct == null) {
            return text;
        }
        String percent = String.format(Locale.ROOT, "%.0f%%", Math.abs(pct));
        return text + " (" + (percent.equals("0%") ? "" : pct < 0 ? "-" : "+") + percent + ")";
    }

    /**
     * One line for logs and test reports: {@code p95<300 passed: 250 ms (+50 ms (+17%))},
     * {@code GET /cart: p99<800 failed: 950 ms (-150 ms (-19%))},
     * {@code GET /x: p95<3 failed: no requests named 'GET /x'}.
     */
    public String summary() {
        String verdict = passed ? "passed" : "failed";
        if (measured == null) {
            return threshold.text() + " " + verdict + ": " + problem;
        }
        return threshold.text() + " " + verdict + ": " + measuredText() + " (limit " + threshold.limitText() + ", margin " + marginText() + ")";
    }
}
