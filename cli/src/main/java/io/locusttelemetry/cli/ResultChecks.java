package io.locusttelemetry.cli;

import io.locusttelemetry.cli.internal.BaselineFile;
import io.locusttelemetry.cli.internal.CliException;
import io.locusttelemetry.cli.internal.OutputPaths;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.thresholds.Metric;
import io.locusttelemetry.engine.thresholds.ThresholdExpression;
import io.locusttelemetry.engine.thresholds.ThresholdSyntaxException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a run's result is judged and recorded for CI: its thresholds ({@code --threshold}, the
 * {@code --check-*} gates, {@code @Threshold} on the user classes), the JUnit XML and JSON files,
 * and the baseline it is compared with. Immutable; {@link #from} checks everything before a test
 * starts (a threshold that does not parse, a baseline that cannot be read: one line, exit 2).
 *
 * @param thresholds    every threshold, each once
 * @param junitXmlFile  {@code --junit-xml}, or null
 * @param jsonFile      {@code --json-file} with {@code .json} added when it did not end with it, or null
 * @param compareTo     {@code --compare-to}, or null
 * @param baseline      the statistics read from {@code compareTo}, or null
 * @param maxRegression {@code --max-regression} in percent, or null
 */
public record ResultChecks(List<ThresholdExpression> thresholds, String junitXmlFile, String jsonFile, String compareTo,
                           StatsSnapshot baseline, Double maxRegression) {

    public ResultChecks {
        thresholds = distinct(thresholds);
    }

    /** No thresholds, files or baseline. */
    public static ResultChecks none() {
        return new ResultChecks(List.of(), null, null, null, null, null);
    }

    /**
     * Reads the options.
     *
     * @throws CliException one line naming the option and the problem
     */
    static ResultChecks from(ParsedOptions o) {
        List<ThresholdExpression> thresholds = new ArrayList<>();
        List<String> texts = o.getList("threshold");
        for (String text : texts == null ? List.<String>of() : texts) {
            try {
                thresholds.add(ThresholdExpression.parse(text));
            } catch (ThresholdSyntaxException e) {
                throw new CliException(e.describe("--threshold"));
            }
        }
        gate(thresholds, o, "check_fail_ratio", "fail_ratio", ThresholdExpression.Comparison.LESS_OR_EQUAL);
        gate(thresholds, o, "check_avg_response_time", "avg", ThresholdExpression.Comparison.LESS_OR_EQUAL);
        gate(thresholds, o, "check_rps", "rps", ThresholdExpression.Comparison.GREATER_OR_EQUAL);
        String compareTo = o.getString("compare_to");
        StatsSnapshot baseline = compareTo == null ? null : BaselineFile.read(compareTo, "--compare-to");
        Double maxRegression = null;
        String max = o.getString("max_regression");
        if (max != null) {
            if (compareTo == null) {
                throw new CliException("--max-regression " + max + " needs a baseline: add --compare-to FILE");
            }
            maxRegression = percent(max);
        }
        String json = o.getString("json_file");
        return new ResultChecks(thresholds, o.getString("junit_xml"), json == null ? null : OutputPaths.jsonFile(json), compareTo,
                baseline, maxRegression);
    }

    /** A {@code --check-*} gate as the threshold it is. */
    private static void gate(List<ThresholdExpression> out, ParsedOptions o, String dest, String metric,
                             ThresholdExpression.Comparison comparison) {
        if (!o.has(dest)) {
            return;
        }
        double limit = o.getDouble(dest, 0);
        String text = metric + comparison.symbol() + BigDecimal.valueOf(limit).stripTrailingZeros().toPlainString();
        out.add(new ThresholdExpression(text, null, Metric.named(metric), comparison, limit, false, Duration.ZERO));
    }

    private static double percent(String text) {
        String t = text.strip();
        String digits = t.endsWith("%") ? t.substring(0, t.length() - 1).strip() : t;
        if (!digits.matches("\\d{1,6}(\\.\\d{1,6})?")) {
            throw new CliException("Invalid --max-regression '" + text + "': use a percentage such as 10% or 2.5");
        }
        return Double.parseDouble(digits);
    }

    /** These checks with the thresholds declared by {@code @Threshold} on {@code userClasses} added. */
    public ResultChecks withThresholdsOf(List<Class<? extends User>> userClasses) {
        List<ThresholdExpression> declared;
        try {
            declared = ThresholdExpression.declaredOn(userClasses);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        return withThresholds(declared);
    }

    /** These checks with {@code more} thresholds added (each threshold once). */
    public ResultChecks withThresholds(List<ThresholdExpression> more) {
        List<ThresholdExpression> all = new ArrayList<>(thresholds);
        all.addAll(more);
        return new ResultChecks(all, junitXmlFile, jsonFile, compareTo, baseline, maxRegression);
    }

    private static List<ThresholdExpression> distinct(List<ThresholdExpression> list) {
        Set<String> seen = new LinkedHashSet<>();
        List<ThresholdExpression> out = new ArrayList<>();
        for (ThresholdExpression t : list) {
            if (seen.add(t.canonical())) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }
}
