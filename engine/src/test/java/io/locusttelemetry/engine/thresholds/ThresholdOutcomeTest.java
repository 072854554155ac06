package io.locusttelemetry.engine.thresholds;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdOutcomeTest {

    /** 100 GET /cart at 1..100 ms, 10 POST /cart at 200 ms of which 5 failed, one GET /search at 40 ms. */
    private static StatsSnapshot stats() {
        RequestStats stats = new RequestStats();
        for (int ms = 1; ms <= 100; ms++) {
            stats.logRequest("GET", "/cart", ms * 1000L, 10);
        }
        for (int i = 0; i < 10; i++) {
            stats.logRequest("POST", "/cart", 200_000, 10, i < 5 ? "HTTP 500" : null);
        }
        stats.logRequest("GET", "/search", 40_000, 10);
        return stats.snapshot();
    }

    private static ThresholdOutcome eval(String threshold) {
        return ThresholdOutcome.evaluate(ThresholdExpression.parse(threshold), stats());
    }

    @Test
    void passesAndFailsExactlyAtTheLimit() {
        // Locust's percentile of 1..100 ms: the 96th request's bucket
        assertThat(eval("GET /cart: p95<=96").passed()).isTrue();
        assertThat(eval("GET /cart: p95<96").passed()).isFalse();
        assertThat(eval("GET /cart: p95>=96").passed()).isTrue();
        assertThat(eval("GET /cart: p95>96").passed()).isFalse();
        assertThat(eval("GET /cart: p95==96").passed()).isTrue();
        assertThat(eval("GET /cart: max<=100").passed()).isTrue();
        assertThat(eval("GET /cart: max<100").passed()).isFalse();
        assertThat(eval("POST /cart: fail_ratio<=50%").passed()).isTrue();
        assertThat(eval("POST /cart: fail_ratio<0.5").passed()).isFalse();
        assertThat(eval("failures==5").passed()).isTrue();
        assertThat(eval("requests>=111").passed()).isTrue();
        assertThat(eval("requests>111").passed()).isFalse();
    }

    @Test
    void reportsTheMeasuredValueAndTheMarginInTheMetricsUnit() {
        ThresholdOutcome ok = eval("GET /cart: p95<200");
        assertThat(ok.measured()).isEqualTo(96.0);
        assertThat(ok.margin()).isEqualTo(104.0);
        assertThat(ok.marginText()).isEqualTo("+104 ms (+52%)");
        assertThat(ok.summary()).isEqualTo("GET /cart: p95<200 passed: 96 ms (limit < 200 ms, margin +104 ms (+52%))");
        ThresholdOutcome bad = eval("POST /cart: fail_ratio<1%");
        assertThat(bad.measuredText()).isEqualTo("50%");
        assertThat(bad.marginText()).isEqualTo("-49% (-4900%)");
        // 111 requests logged within a microsecond at the fastest (the clock's step) are at most 1.11e8 per second
        ThresholdOutcome rps = eval("rps>1000000000");
        assertThat(rps.passed()).isFalse();
        assertThat(rps.margin()).isNegative();
    }

    @Test
    void aNameWithoutTheMethodFindsTheOnlyEntryOfThatNameAndSaysWhenThereAreTwo() {
        assertThat(eval("/search: avg<=40").passed()).isTrue();
        ThresholdOutcome twoMethods = eval("/cart: avg<1000");
        assertThat(twoMethods.passed()).isFalse();
        assertThat(twoMethods.problem()).isEqualTo("'/cart' is GET /cart and POST /cart: name the method too");
        assertThat(eval("Aggregated: requests==111").passed()).isTrue();
    }

    @Test
    void aThresholdThatCannotBeMeasuredFailsSoThatATypoNeverPasses() {
        ThresholdOutcome typo = eval("GET /kart: p95<300");
        assertThat(typo.passed()).isFalse();
        assertThat(typo.measured()).isNull();
        assertThat(typo.summary()).isEqualTo("GET /kart: p95<300 failed: no requests named 'GET /kart'");
        ThresholdOutcome empty = ThresholdOutcome.evaluate(ThresholdExpression.parse("p95<300"), new RequestStats().snapshot());
        assertThat(empty.passed()).isFalse();
        assertThat(empty.problem()).isEqualTo("no request with a response time yet");
        assertThat(ThresholdOutcome.evaluate(ThresholdExpression.parse("failures==0"), new RequestStats().snapshot()).passed()).isTrue();
        assertThat(ThresholdOutcome.allPassed(List.of())).isTrue();
    }
}
