package io.locusttelemetry.engine.thresholds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thresholds come from command lines, config files, environment variables and annotations: any
 * text must either parse or fail with a {@link ThresholdSyntaxException} whose column lies within
 * the text and whose message is one printable line, quickly; a parsed threshold evaluates against
 * any statistics without an exception, its margin agreeing with its result.
 */
class ThresholdParserFuzzTest {
    private static final String[] PIECES = {"p", "p95", "p99.9", "p100", "p0", "avg", "median", "min", "max", "rps", "fail_ratio",
        "failures", "requests", "<", "<=", ">", ">=", "==", "=", "!", "300", "0", "0.5", ".", "-", "1e9", "ms", "s", "%", "/s", " ", "  ",
        "\t", ":", "::", "\"", ",", "GET", " /cart", "abort-on-fail", "abort", "delay=", "delay=10s", "10", "m", "h", "x", "é", "名",
        "\uD83D\uDE00", "\uD800", "\uDC00", "\u202E", "\u0000", "\n", "\r", "\u001b[31m", "\u007f", "\u2028", "\uFFFF", "${x}", "%s",
        "9".repeat(40), "9".repeat(400)};
    private static final String[] METRICS = {"p50", "p66", "p90", "p95", "p99", "p99.9", "p99.99", "p100", "avg", "median", "min",
        "max", "rps", "fail_ratio", "failures", "requests"};
    private static final String[] OPS = {"<", "<=", ">", ">=", "=="};

    @Test
    void anyTextParsesOrFailsWithAColumnInsideIt() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int parts = rnd.nextInt(12);
            for (int p = 0; p < parts; p++) {
                sb.append(rnd.nextInt(10) == 0 ? String.valueOf((char) rnd.nextInt(0x10000)) : PIECES[rnd.nextInt(PIECES.length)]);
            }
            check(sb.toString(), seed);
        }
        check("x".repeat(1_000_000), seed);
        check("p95<3" + " abort-on-fail".repeat(500), seed);
        check("\"" + ":".repeat(999), seed);
        check(":".repeat(999), seed);
        check(null, seed);
    }

    @Test
    void generatedThresholdsParseToWhatWasWrittenAndEvaluateAgainstAnyStatistics() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        List<StatsSnapshot> snapshots = snapshots(rnd);
        for (int i = 0; i < 5_000; i++) {
            String endpoint = rnd.nextInt(3) == 0 ? null : name(rnd);
            String metric = METRICS[rnd.nextInt(METRICS.length)];
            String op = OPS[rnd.nextInt(OPS.length)];
            double limit = rnd.nextInt(4) == 0 ? rnd.nextInt(1000) : Math.round(rnd.nextDouble() * 100_000) / 100.0;
            boolean abort = rnd.nextBoolean();
            long delayMillis = abort && rnd.nextBoolean() ? rnd.nextInt(100_000) : 0;
            String text = (endpoint == null ? "" : quoteIfNeeded(endpoint) + ":" + " ".repeat(rnd.nextInt(3)))
                    + metric + " ".repeat(rnd.nextInt(2)) + op + " ".repeat(rnd.nextInt(2)) + plain(limit)
                    + (abort ? " abort-on-fail" + (delayMillis > 0 ? " delay=" + delayMillis + "ms" : "") : "");
            ThresholdExpression t;
            try {
                t = ThresholdExpression.parse(text);
            } catch (ThresholdSyntaxException e) {
                throw new AssertionError("seed " + seed + ": a valid threshold did not parse: " + e.getMessage(), e);
            }
            assertThat(t.endpoint()).as("seed %d: %s", seed, text).isEqualTo(endpoint);
            assertThat(t.metric().name()).isEqualTo(metric);
            assertThat(t.comparison().symbol()).isEqualTo(op);
            assertThat(t.limit()).isEqualTo(limit);
            assertThat(t.abortOnFail()).isEqualTo(abort);
            assertThat(t.abortDelay()).isEqualTo(Duration.ofMillis(delayMillis));
            ThresholdExpression again = ThresholdExpression.parse(t.canonical());
            assertThat(again.canonical()).as("seed %d: %s", seed, text).isEqualTo(t.canonical());
            for (StatsSnapshot s : snapshots) {
                ThresholdOutcome o = ThresholdOutcome.evaluate(t, s);
                if (o.measured() == null) {
                    assertThat(o.passed()).isFalse();
                    assertThat(o.problem()).isNotBlank().doesNotContain("\n");
                    continue;
                }
                double margin = o.margin();
                boolean inclusive = op.contains("=");
                assertThat(o.passed()).as("seed %d: %s measured %s margin %s", seed, text, o.measured(), margin)
                        .isEqualTo(op.equals("==") ? margin == 0 : margin > 0 || inclusive && margin == 0);
                assertThat(o.summary()).doesNotContain("\n").contains(o.passed() ? "passed" : "failed");
            }
        }
    }

    @Test
    void oneCharacterChangedInAValidThresholdParsesOrFailsCleanly() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        String[] valid = {"GET /cart: p99<800 abort-on-fail delay=10s", "p95<300", "\"GET /a,b\": avg<=1.5s", "fail_ratio<1%", "rps>=100/s"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(valid[rnd.nextInt(valid.length)]);
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, PIECES[rnd.nextInt(PIECES.length)]);
                default -> sb.setCharAt(at, (char) rnd.nextInt(0x80));
            }
            check(sb.toString(), seed);
        }
    }

    private static void check(String text, long seed) {
        long start = System.nanoTime();
        try {
            ThresholdExpression t = ThresholdExpression.parse(text);
            assertThat(t.text()).isNotEmpty();
            assertThat(t.limit()).isFinite().isNotNegative();
        } catch (ThresholdSyntaxException e) {
            int length = text == null ? 0 : text.codePointCount(0, text.length());
            assertThat(e.column()).as("seed %d: %s", seed, e.getMessage()).isBetween(1, length + 1);
            assertThat(e.getMessage()).doesNotContain("\n", "\r", "\u001b", "\u0000").hasSizeLessThan(2_000);
            assertThat(e.describe("--threshold")).startsWith("--threshold '");
        } catch (RuntimeException e) {
            fail("seed " + seed + ": " + e + " for " + text, e);
        }
        assertThat(System.nanoTime() - start).as("seed %d: parse time", seed).isLessThan(1_000_000_000L);
    }

    /** A request name as users write them, with colons, spaces, quotes, commas and any letters, but no control characters. */
    private static String name(Random rnd) {
        String chars = "/abcXYZ09_-.:?=&, \"'é名\uD83D\uDE00";
        StringBuilder sb = new StringBuilder(rnd.nextBoolean() ? "GET " : "");
        int n = 1 + rnd.nextInt(20);
        for (int i = 0; i < n; i++) {
            int at = rnd.nextInt(chars.length());
            char c = chars.charAt(at);
            sb.append(c);
            if (Character.isHighSurrogate(c)) {
                sb.append(chars.charAt(at + 1));
            }
        }
        String s = sb.toString().strip();
        while (s.startsWith("\"") || s.startsWith(":") || s.isEmpty() || Character.isLowSurrogate(s.charAt(0))) {
            s = "x" + s.replaceFirst("^[\":]+", "");
        }
        if (s.endsWith("\uD83D")) {
            s = s + "\uDE00";
        }
        return s;
    }

    private static String quoteIfNeeded(String name) {
        return name.contains(",") && !name.contains("\"") && !name.contains(":") ? "\"" + name + "\"" : name;
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : java.math.BigDecimal.valueOf(v).toPlainString();
    }

    private static List<StatsSnapshot> snapshots(Random rnd) {
        List<StatsSnapshot> out = new ArrayList<>();
        out.add(new RequestStats().snapshot());
        for (int s = 0; s < 4; s++) {
            RequestStats stats = new RequestStats();
            int n = rnd.nextInt(300);
            for (int i = 0; i < n; i++) {
                String name = rnd.nextInt(4) == 0 ? name(rnd) : "/cart";
                if (rnd.nextInt(10) == 0) {
                    stats.logError("GET", name, "boom");
                } else {
                    stats.logRequest(rnd.nextBoolean() ? "GET" : "POST", name, rnd.nextInt(2_000_000), rnd.nextInt(5000),
                            rnd.nextInt(8) == 0 ? "HTTP 500" : null);
                }
            }
            out.add(stats.snapshot());
        }
        return out;
    }
}
