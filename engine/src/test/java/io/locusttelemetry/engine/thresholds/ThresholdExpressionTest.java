package io.locusttelemetry.engine.thresholds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.locusttelemetry.engine.Threshold;
import io.locusttelemetry.engine.User;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdExpressionTest {

    @Test
    void readsTheTotalAnEndpointALimitWithUnitsAndAbortOnFail() {
        ThresholdExpression t = ThresholdExpression.parse("p95<300");
        assertThat(t.isTotal()).isTrue();
        assertThat(t.metric().name()).isEqualTo("p95");
        assertThat(t.comparison()).isEqualTo(ThresholdExpression.Comparison.LESS);
        assertThat(t.limit()).isEqualTo(300);
        assertThat(t.abortOnFail()).isFalse();

        ThresholdExpression e = ThresholdExpression.parse("GET /cart: p99<=0.8s abort-on-fail delay=10s");
        assertThat(e.endpoint()).isEqualTo("GET /cart");
        assertThat(e.metric().name()).isEqualTo("p99");
        assertThat(e.comparison()).isEqualTo(ThresholdExpression.Comparison.LESS_OR_EQUAL);
        assertThat(e.limit()).isEqualTo(800);
        assertThat(e.abortOnFail()).isTrue();
        assertThat(e.abortDelay()).isEqualTo(Duration.ofSeconds(10));

        assertThat(ThresholdExpression.parse("fail_ratio<1%").limit()).isEqualTo(0.01);
        assertThat(ThresholdExpression.parse("fail_ratio < 0.01").limit()).isEqualTo(0.01);
        assertThat(ThresholdExpression.parse("rps>=100/s").comparison()).isEqualTo(ThresholdExpression.Comparison.GREATER_OR_EQUAL);
        assertThat(ThresholdExpression.parse("failures==0").comparison()).isEqualTo(ThresholdExpression.Comparison.EQUAL);
        assertThat(ThresholdExpression.parse("p99.9<2000ms").metric().name()).isEqualTo("p99.9");
        assertThat(ThresholdExpression.parse("max<5s").limit()).isEqualTo(5000);
        assertThat(ThresholdExpression.parse("p99<800 abort-on-fail").abortDelay()).isEqualTo(Duration.ZERO);
        assertThat(ThresholdExpression.parse("p99<800 abort-on-fail delay=1m").abortDelay()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theEndpointIsEverythingBeforeTheLastColonOrANameInQuotes() {
        assertThat(ThresholdExpression.parse("GET http://x:8080/a: avg<5").endpoint()).isEqualTo("GET http://x:8080/a");
        assertThat(ThresholdExpression.parse("\"GET /a,b\": avg<5").endpoint()).isEqualTo("GET /a,b");
        assertThat(ThresholdExpression.parse("\"/a:b\" : avg<5").endpoint()).isEqualTo("/a:b");
        assertThat(ThresholdExpression.parse("  /cart  :p50<1").endpoint()).isEqualTo("/cart");
        assertThat(ThresholdExpression.parse("Ünïcödé 名前: requests>1").endpoint()).isEqualTo("Ünïcödé 名前");
    }

    @Test
    void aMalformedExpressionNamesWhatWasExpectedAndWhere() {
        assertSyntax("p95<", 5, "expected a number");
        assertSyntax("", 1, "expected a threshold such as p95<300");
        assertSyntax("   ", 4, "expected a threshold such as p95<300");
        assertSyntax("p95", 4, "expected a comparison (<, <=, >, >= or ==)");
        assertSyntax("p95=300", 4, "expected a comparison");
        assertSyntax("q95<300", 1, "unknown metric 'q95'");
        assertSyntax("p0<300", 1, "unknown metric 'p0'");
        assertSyntax("p101<300", 1, "unknown metric 'p101'");
        assertSyntax("<300", 1, "expected a metric (p50, p95, p99, p99.9 (any pN), avg, median, min, max, rps, fail_ratio, failures, requests)");
        assertSyntax("p95<300x", 8, "'x' does not fit p95 (a response time: write 300, 300ms or 0.3s)");
        assertSyntax("fail_ratio<1ms", 13, "'ms' does not fit fail_ratio (a ratio: write 0.01 or 1%)");
        assertSyntax("requests>5%", 11, "'%' does not fit requests (a count: write a number without a unit)");
        assertSyntax("p95<3.", 7, "expected a digit after the decimal point");
        assertSyntax("p95<-3", 5, "expected a number");
        assertSyntax(": p95<3", 1, "expected an endpoint name before ':'");
        assertSyntax("\"GET /a: p95<3", 15, "expected a closing '\"' for the endpoint name");
        assertSyntax("\"GET /a\" p95<3", 10, "expected ':' after the endpoint name");
        assertSyntax("p95<3 abort", 7, "unexpected 'abort' (expected abort-on-fail or delay=DURATION)");
        assertSyntax("p95<3 delay=5s", 7, "delay= needs abort-on-fail before it");
        assertSyntax("p95<3 abort-on-fail abort-on-fail", 21, "abort-on-fail given twice");
        assertSyntax("p95<3 abort-on-fail delay=soon", 27, "expected a duration such as 10s, 500ms or 2m after delay=");
        assertSyntax("p95<3\n", 6, "unexpected control character");
        assertSyntax("p95<" + "9".repeat(400), 5, "the number is too large");
        assertSyntax("x".repeat(1001), 1001, "longer than 1000 characters");
    }

    @Test
    void theMessageIsTheOneLineTheCommandPrints() {
        assertThatThrownBy(() -> ThresholdExpression.parse("p95<"))
                .isInstanceOfSatisfying(ThresholdSyntaxException.class, e ->
                        assertThat(e.describe("--threshold")).isEqualTo("--threshold 'p95<': expected a number at column 5"));
        assertThatThrownBy(() -> ThresholdExpression.parse("p95<3\u001b[2J"))
                .hasMessage("'p95<3\\x1b[2J': unexpected control character at column 6");
    }

    @Test
    void theCanonicalFormParsesToTheSameThreshold() {
        for (String text : List.of("p95<300", "GET /cart: p99<=0.8s abort-on-fail delay=10s", "\"GET /a,b\": avg<5.5", "fail_ratio<1%",
                "fail_ratio<0.0001", "rps>=99.5", "failures==0", "a:b:c: requests>3", "p99.99<1.25s abort-on-fail")) {
            ThresholdExpression t = ThresholdExpression.parse(text);
            ThresholdExpression again = ThresholdExpression.parse(t.canonical());
            assertThat(again.endpoint()).as(text).isEqualTo(t.endpoint());
            assertThat(again.metric()).as(text).isEqualTo(t.metric());
            assertThat(again.comparison()).as(text).isEqualTo(t.comparison());
            assertThat(again.limit()).as(text).isEqualTo(t.limit());
            assertThat(again.abortOnFail()).as(text).isEqualTo(t.abortOnFail());
            assertThat(again.abortDelay()).as(text).isEqualTo(t.abortDelay());
        }
    }

    @Threshold("p95<300")
    @Threshold("GET /cart: p99<800")
    abstract static class Base extends User {}

    @Threshold("p95<300")
    @Threshold("fail_ratio<1%")
    static final class Checkout extends Base {}

    @Threshold("p95<")
    static final class Broken extends User {}

    @Test
    void annotationsOnAClassAndItsSuperclassesEachCountOnce() {
        List<ThresholdExpression> ts = ThresholdExpression.declaredOn(List.of(Checkout.class));
        assertThat(ts).extracting(ThresholdExpression::text).containsExactly("p95<300", "fail_ratio<1%", "GET /cart: p99<800");
        assertThat(ThresholdExpression.declaredOn(List.of(Base.class, Checkout.class))).extracting(ThresholdExpression::text)
                .containsExactly("p95<300", "GET /cart: p99<800", "fail_ratio<1%");
        assertThatThrownBy(() -> ThresholdExpression.declaredOn(List.of(Broken.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@Threshold on Broken 'p95<': expected a number at column 5");
    }

    private static void assertSyntax(String text, int column, String reason) {
        assertThatThrownBy(() -> ThresholdExpression.parse(text)).as(text)
                .isInstanceOfSatisfying(ThresholdSyntaxException.class, e -> {
                    assertThat(e.reason()).as(text).startsWith(reason);
                    assertThat(e.column()).as(text + ": " + e.getMessage()).isEqualTo(column);
                });
    }
}
