package io.locusttelemetry.engine.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The second latency (from the intended start) and the iteration counts beside Locust's statistics. */
class IntendedStatsTest {

    @Test
    void timesFromTheIntendedStartHaveTheirOwnHistogramAndLeaveLocustsFiguresAlone() {
        RequestStats stats = new RequestStats();
        for (int i = 0; i < 90; i++) {
            stats.logRequest("GET", "/a", 10_000, 5, null, 10_000);
        }
        for (int i = 0; i < 10; i++) {
            // a stall: served fast, but an iteration that should have begun a second earlier
            stats.logRequest("GET", "/a", 20_000, 5, null, 1_020_000);
        }
        stats.logRequest("GET", "/b", 30_000, 5, null);
        StatsSnapshot snap = stats.snapshot();
        EntrySnapshot a = snap.entries().stream().filter(e -> e.name().equals("/a")).findFirst().orElseThrow();
        assertThat(a.percentile(0.95)).isEqualTo(20);
        assertThat(a.maxResponseTime()).isEqualTo(20.0);
        assertThat(a.intended().count()).isEqualTo(100);
        assertThat(a.intended().percentile(0.95)).isEqualTo(1000);
        assertThat(a.intended().percentile(0.5)).isEqualTo(10);
        assertThat(a.intended().median()).isEqualTo(10);
        assertThat(a.intended().maxMillis()).isEqualTo(1020.0);
        assertThat(a.intended().minMillis()).isEqualTo(10.0);
        assertThat(a.intended().average()).isCloseTo(111.0, org.assertj.core.data.Offset.offset(0.01));
        EntrySnapshot b = snap.entries().stream().filter(e -> e.name().equals("/b")).findFirst().orElseThrow();
        assertThat(b.intended().isEmpty()).isTrue();
        assertThat(snap.total().intended().count()).isEqualTo(100);
        assertThat(snap.total().numRequests()).isEqualTo(101);
    }

    @Test
    void deltasAndMergesCarryTheIntendedTimes() {
        RequestStats worker = new RequestStats();
        worker.logRequest("GET", "/a", 5_000, 0, null, 7_000);
        StatsSnapshot first = worker.snapshot();
        worker.logRequest("GET", "/a", 5_000, 0, null, 3_000_000);
        worker.logRequest("GET", "/a", 5_000, 0, null, 9_000);
        StatsSnapshot delta = worker.snapshot().minus(first, 0);
        TimeDistribution d = delta.entries().get(0).intended();
        assertThat(d.count()).isEqualTo(2);
        assertThat(d.asMap()).containsExactly(Map.entry(9L, 1L), Map.entry(3000L, 1L));

        RequestStats master = new RequestStats();
        master.merge(first.entries(), first.total(), List.of());
        master.merge(delta.entries(), delta.total(), List.of());
        EntrySnapshot merged = master.snapshot().total();
        assertThat(merged.intended().count()).isEqualTo(3);
        assertThat(merged.intended().maxMillis()).isEqualTo(3000.0);
        assertThat(merged.intended().minMillis()).isEqualTo(7.0);
        assertThat(merged.intended().percentile(1.0)).isEqualTo(3000);
    }

    @Test
    void iterationsAreCountedPerClassResetWithTheStatisticsAndDiffed() {
        RequestStats stats = new RequestStats();
        IterationStats.Counter c = stats.iterations().counter("Checkout");
        for (int i = 0; i < 10; i++) {
            c.began(i < 2 ? 50_000_000L : 100_000L);
        }
        c.dropped();
        IterationSnapshot first = stats.snapshot().iterations();
        assertThat(first.byClass().get("Checkout")).isEqualTo(new IterationSnapshot.Counts(10, 1, 2));
        assertThat(first.total().scheduled()).isEqualTo(11);
        assertThat(first.lateP99Millis()).isGreaterThan(40);
        c.began(0);
        c.dropped();
        c.dropped();
        IterationSnapshot delta = stats.snapshot().iterations().minus(first);
        assertThat(delta.byClass()).containsExactly(Map.entry("Checkout", new IterationSnapshot.Counts(1, 2, 0)));

        RequestStats master = new RequestStats();
        master.iterations().merge(first.byClass());
        master.iterations().merge(delta.byClass());
        IterationSnapshot merged = master.snapshot().iterations();
        assertThat(merged.total()).isEqualTo(new IterationSnapshot.Counts(11, 3, 2));
        assertThat(merged.lateP99Millis()).isNull();

        stats.reset();
        assertThat(stats.snapshot().iterations().isEmpty()).isTrue();
    }
}
