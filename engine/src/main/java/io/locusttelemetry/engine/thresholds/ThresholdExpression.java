package io.locusttelemetry.engine.thresholds;

import io.locusttelemetry.engine.Threshold;
import io.locusttelemetry.engine.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One threshold, as parsed from its text:
 *
 * <pre>
 *   [ENDPOINT ':'] METRIC OP LIMIT[UNIT] [abort-on-fail [delay=DURATION]]
 *
 *   p95&lt;300                         the total's 95th percentile below 300 ms
 *   GET /cart: p99&lt;=0.8s            one endpoint, as the stats table names it (method and name, or the name alone)
 *   "GET /a,b": avg&lt;100             quotes around a name that holds a comma or a colon
 *   fail_ratio&lt;1%                   rps&gt;=100   failures==0   requests&gt;1000
 *   p99&lt;800 abort-on-fail delay=10s stop the test at the first live evaluation that fails, from 10 s after its start
 * </pre>
 *
 * OP is {@code <}, {@code <=}, {@code >}, {@code >=} or {@code ==}; response times are in ms (or
 * {@code s}), ratios from 0 to 1 (or {@code %}).
 *
 * @param text        the expression as written (trimmed)
 * @param endpoint    the endpoint as the stats table names it ({@code GET /cart}, {@code /cart}), null for the total
 * @param metric      what is measured
 * @param comparison  how the measured value must compare with the limit
 * @param limit       the limit in the metric's unit (ms, per second, ratio 0..1, count)
 * @param abortOnFail whether a failing live evaluation stops the test
 * @param abortDelay  how long after the test's start a failing live evaluation may first stop it
 */
public record ThresholdExpression(String text, String endpoint, Metric metric, Comparison comparison, double limit,
                                  boolean abortOnFail, Duration abortDelay) {

    /** The comparison operators. */
    public enum Comparison {
        LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">="), EQUAL("==");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** Whether {@code measured} satisfies the comparison with {@code limit}. */
        public boolean holds(double measured, double limit) {
            return switch (this) {
                case LESS -> measured < limit;
                case LESS_OR_EQUAL -> measured <= limit;
                case GREATER -> measured > limit;
                case GREATER_OR_EQUAL -> measured >= limit;
                case EQUAL -> measured == limit;
            };
        }

        /** How far {@code measured} is inside the limit: positive when it holds with room to spare, negative past it. */
        double margin(double measured, double limit) {
            return switch (this) {
                case LESS, LESS_OR_EQUAL -> limit - measured;
                case GREATER, GREATER_OR_EQUAL -> measured - limit;
                case EQUAL -> -Math.abs(measured - limit);
            };
        }
    }

    public ThresholdExpression {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(comparison, "comparison");
        abortDelay = abortDelay == null ? Duration.ZERO : abortDelay;
    }

    /**
     * Parses one threshold.
     *
     * @throws ThresholdSyntaxException naming the column of the first problem
     */
    public static ThresholdExpression parse(String text) {
        return new ThresholdParser(text).parse();
    }

    /** Whether the threshold is on the total rather than one endpoint. */
    public boolean isTotal() {
        return endpoint == null;
    }

    /** Whether {@code measured} satisfies the threshold. */
    public boolean holds(double measured) {
        return comparison.holds(measured, limit);
    }

    /** The limit as a person reads it: {@code < 300 ms}, {@code >= 100.00/s}, {@code < 1%}. */
    public String limitText() {
        return comparison.symbol() + " " + metric.format(limit);
    }

    /**
     * The expression in its canonical form (name quoted when needed, limits in the metric's unit):
     * parsing it gives an equal threshold.
     */
    public String canonical() {
        StringBuilder sb = new StringBuilder();
        if (endpoint != null) {
            if (endpoint.contains(",") && !endpoint.contains("\"")) {
                sb.append('"').append(endpoint).append('"');
            } else {
                sb.append(endpoint);
            }
            sb.append(": ");
        }
        sb.append(metric.name()).append(comparison.symbol()).append(plain(metric.unit() == Metric.Unit.RATIO ? limit * 100 : limit));
        if (metric.unit() == Metric.Unit.RATIO) {
            sb.append('%');
        }
        if (abortOnFail) {
            sb.append(" abort-on-fail");
            if (!abortDelay.isZero()) {
                sb.append(" delay=").append(abortDelay.toMillis()).append("ms");
            }
        }
        return sb.toString();
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : java.math.BigDecimal.valueOf(v).toPlainString();
    }

    /**
     * The thresholds declared with {@link Threshold @Threshold} on {@code classes} and their
     * superclasses (a class's own first), each once.
     *
     * @throws IllegalArgumentException for the first one that does not parse, naming its class:
     *                                  {@code @Threshold on Checkout 'p95<': expected a number at column 5}
     */
    public static List<ThresholdExpression> declaredOn(Collection<? extends Class<? extends User>> classes) {
        Set<String> seen = new LinkedHashSet<>();
        List<ThresholdExpression> out = new ArrayList<>();
        List<Class<?>> declaring = new ArrayList<>();
        for (Class<?> c : classes) {
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                declaring.add(k);
            }
        }
        for (Class<?> c : declaring) {
            for (Threshold t : c.getDeclaredAnnotationsByType(Threshold.class)) {
                try {
                    ThresholdExpression e = parse(t.value());
                    if (seen.add(e.canonical())) {
                        out.add(e);
                    }
                } catch (ThresholdSyntaxException e) {
                    throw new IllegalArgumentException(e.describe("@Threshold on " + c.getSimpleName()), e);
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
