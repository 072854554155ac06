package io.locusttelemetry.engine.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsComparisonTest {

    /** {@code n} requests of {@code name} taking {@code ms} each, {@code failures} of them failed. */
    private static void record(RequestStats stats, String name, int n, long ms, int failures) {
        for (int i = 0; i < n; i++) {
            stats.logRequest("GET", name, ms * 1000, 10, i < failures ? "HTTP 500" : null);
        }
    }

    private static StatsSnapshot run(long cartMs, int cartFailures, long tinyMs, int fewMs) {
        RequestStats stats = new RequestStats();
        record(stats, "/cart", 1000, cartMs, cartFailures);
        record(stats, "/tiny", 1000, tinyMs, 0);
        record(stats, "/few", 10, fewMs, 0);
        return stats.snapshot();
    }

    @Test
    void aRunAgainstItselfHasNoRegressionAndShowsNoChange() {
        StatsSnapshot s = run(100, 5, 2, 10);
        StatsComparison c = StatsComparison.of(s, s);
        assertThat(c.regressions(0)).isEmpty();
        assertThat(c.rows()).extracting(StatsComparison.Row::label).containsExactly("GET /cart", "GET /few", "GET /tiny", "Aggregated");
        assertThat(c.rows().get(0).changePercent(StatsComparison.Values::p95)).isZero();
    }

    @Test
    void aPercentileThatGrewBeyondThePercentageAndTheNoiseFloorRegressed() {
        List<StatsComparison.Regression> r = StatsComparison.of(run(100, 0, 2, 10), run(120, 0, 2, 10)).regressions(10);
        assertThat(r).extracting(x -> x.row().label() + " " + x.metric())
                .contains("GET /cart p50", "GET /cart p95", "GET /cart p99", "Aggregated p99");
        assertThat(r.get(0).summary()).isEqualTo("GET /cart p50 regressed: 100 ms -> 120 ms (+20.0%)");
        assertThat(StatsComparison.of(run(100, 0, 2, 10), run(110, 0, 2, 10)).regressions(10))
                .as("exactly 10% is not more than 10%").isEmpty();
    }

    @Test
    void tinyAbsoluteChangesAndEndpointsWithFewRequestsAreNotRegressions() {
        // 2 ms -> 6 ms is +200%, but 4 ms; 10 -> 500 ms on an endpoint of 10 requests is noise
        assertThat(StatsComparison.of(run(100, 0, 2, 10), run(100, 0, 6, 500)).regressions(10))
                .extracting(x -> x.row().label()).doesNotContain("GET /tiny", "GET /few");
        assertThat(StatsComparison.of(run(100, 0, 2, 10), run(100, 0, 7, 10)).regressions(10))
                .extracting(x -> x.row().label() + " " + x.metric()).contains("GET /tiny p50");
    }

    @Test
    void theFailureRatioRegressesRelativelyAboveOneTenthOfAPercentagePoint() {
        // 0.5% -> 0.6%: +20% and +0.1 pp
        assertThat(StatsComparison.of(run(100, 5, 2, 10), run(100, 6, 2, 10)).regressions(10))
                .extracting(StatsComparison.Regression::metric).contains("fail_ratio");
        // 0 -> 0.1%: from zero, the absolute floor decides
        assertThat(StatsComparison.of(run(100, 0, 2, 10), run(100, 1, 2, 10)).regressions(10))
                .extracting(x -> x.row().label() + " " + x.metric()).containsExactly("GET /cart fail_ratio");
        // 5% -> 5.2%: +0.2 pp but only +4%
        assertThat(StatsComparison.of(run(100, 50, 2, 10), run(100, 52, 2, 10)).regressions(10)).isEmpty();
    }

    @Test
    void aPercentileIsJudgedOnlyWithTenRequestsBeyondIt() {
        assertThat(StatsComparison.minRequestsFor(0.50)).isEqualTo(20);
        assertThat(StatsComparison.minRequestsFor(0.95)).isEqualTo(200);
        assertThat(StatsComparison.minRequestsFor(0.99)).isEqualTo(1000);
        RequestStats before = new RequestStats();
        record(before, "/a", 300, 100, 0);
        RequestStats after = new RequestStats();
        record(after, "/a", 297, 100, 0);
        record(after, "/a", 3, 900, 0);
        // 3 slow requests in 300 move p99 but are not 10 beyond it; p50 and p95 did not move
        assertThat(StatsComparison.of(before.snapshot(), after.snapshot()).regressions(10)).isEmpty();
    }

    @Test
    void endpointsOfOneRunOnlyAreShownButNotJudged() {
        RequestStats before = new RequestStats();
        record(before, "/old", 100, 10, 0);
        RequestStats after = new RequestStats();
        record(after, "/new", 100, 900, 100);
        StatsComparison c = StatsComparison.of(before.snapshot(), after.snapshot());
        assertThat(c.rows()).extracting(StatsComparison.Row::label).containsExactly("GET /new", "GET /old", "Aggregated");
        assertThat(c.rows().get(0).baseline()).isNull();
        assertThat(c.rows().get(1).current()).isNull();
        assertThat(c.regressions(10)).extracting(x -> x.row().label()).containsOnly("Aggregated");
    }
}
