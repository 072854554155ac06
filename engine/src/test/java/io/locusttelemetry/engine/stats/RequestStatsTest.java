package io.locusttelemetry.engine.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Expected values are computed by hand from Locust's rules (protocol doc §8) and were cross-checked
 * against Locust 2.12.1's own {@code StatsEntry} / {@code calculate_response_time_percentile}.
 */
class RequestStatsTest {

    private static final double[] REPORTED = EntrySnapshot.PERCENTILES_TO_REPORT;

    private static long ms(double millis) {
        return Math.round(millis * 1000);
    }

    /** 20 requests: 5x1, 5x3, 4x50, 3x123 (-> 120), 2x1449 (-> 1400), 1x15500 (-> 16000) ms. */
    private static RequestStats twentyRequests() {
        RequestStats stats = new RequestStats();
        log(stats, 1.0, 5);
        log(stats, 3.0, 5);
        log(stats, 50, 4);
        log(stats, 123, 3);
        log(stats, 1449, 2);
        log(stats, 15500, 1);
        return stats;
    }

    private static void log(RequestStats stats, double millis, int times) {
        for (int i = 0; i < times; i++) {
            stats.logRequest("GET", "/b", ms(millis), 10);
        }
    }

    private static EntrySnapshot entry(StatsSnapshot s, String name) {
        return s.entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void histogramPercentilesMedianAndAverageAsLocust() {
        EntrySnapshot e = entry(twentyRequests().snapshot(), "/b");

        assertThat(e.responseTimes()).containsExactly(
                Map.entry(1L, 5L), Map.entry(3L, 5L), Map.entry(50L, 4L), Map.entry(120L, 3L),
                Map.entry(1400L, 2L), Map.entry(16000L, 1L));
        // walk from the top until the requests left are <= floor(20 * p):
        // p50 -> 10 left at 50; p75 -> 14 left at 120; p90 -> 17 left at 1400; p95 -> 19 left at 16000
        long[] expected = {50, 50, 120, 120, 1400, 16000, 16000, 16000, 16000, 16000, 16000};
        for (int i = 0; i < REPORTED.length; i++) {
            assertThat(e.percentile(REPORTED[i])).as("p%s", REPORTED[i]).isEqualTo(expected[i]);
        }
        // median position (20 - 1) / 2 = 9.5 falls in the second bucket
        assertThat(e.medianResponseTime()).isEqualTo(3.0);
        assertThat(e.avgResponseTime()).isCloseTo(18987 / 20.0, within(1e-9));
        assertThat(e.minResponseTime()).isEqualTo(1.0);
        assertThat(e.maxResponseTime()).isEqualTo(15500.0);
        assertThat(e.avgContentLength()).isEqualTo(10.0);
        assertThat(e.totalContentLength()).isEqualTo(200);
    }

    @Test
    void histogramKeysComeInAscendingOrderWithKeysOffLocustsGrid() {
        RequestStats stats = new RequestStats();
        log(stats, 3, 1);
        log(stats, 250, 1);
        log(stats, 123_400, 1);                              // -> 123000, above the dense grid
        // a peer that rounds differently may send keys between Locust's (105) and above them
        EntrySnapshot delta = new EntrySnapshot("/b", "GET", 7, 0, 0, 610_210, 105.0, 150_000.0, 0, 1000.0, 1001.0,
                new long[] {105, 2500, 150_000}, new long[] {2, 1, 4}, new TreeMap<>(), new TreeMap<>());
        stats.merge(List.of(delta), null, List.of());

        EntrySnapshot e = entry(stats.snapshot(), "/b");
        assertThat(e.responseTimeKeys()).containsExactly(3, 105, 250, 2500, 123_000, 150_000);
        assertThat(e.responseTimeCounts()).containsExactly(1, 2, 1, 1, 1, 4);
        assertThat(e.numRequests()).isEqualTo(10);
    }

    @Test
    void snapshotsCarryTheLastMinutesPerSecondCountsAndTheFullSnapshotEverySecond() {
        RequestStats stats = new RequestStats();
        log(stats, 5, 3);
        long now = RequestStats.nowMicros() / 1_000_000;
        stats.archiveBefore(now + 1);                       // as the runner does with seconds a minute old
        log(stats, 5, 2);

        StatsSnapshot recent = stats.snapshot();
        StatsSnapshot full = stats.fullSnapshot();
        assertThat(recent.total().numRequests()).isEqualTo(5);
        assertThat(full.total().numRequests()).isEqualTo(5);
        assertThat(sum(recent.total().numReqsPerSec())).isEqualTo(2);
        assertThat(sum(full.total().numReqsPerSec())).isEqualTo(5);
        assertThat(sum(entry(full, "/b").numReqsPerSec())).isEqualTo(5);
    }

    @Test
    void requestsWithoutResponseTimeCountInPercentilesButNotInMedianOrAverage() {
        RequestStats stats = twentyRequests();
        stats.logRequest("GET", "/b", -1, 0);
        EntrySnapshot e = entry(stats.snapshot(), "/b");

        assertThat(e.numRequests()).isEqualTo(21);
        assertThat(e.numNoneRequests()).isEqualTo(1);
        assertThat(e.percentile(0.5)).isEqualTo(3);   // N = 21: floor(10.5) = 10 left at key 3
        assertThat(e.percentile(0.9)).isEqualTo(1400);
        assertThat(e.percentile(0.95)).isEqualTo(1400);
        assertThat(e.percentile(1.0)).isEqualTo(16000);
        assertThat(e.medianResponseTime()).isEqualTo(3.0);
        assertThat(e.avgResponseTime()).isCloseTo(949.35, within(1e-9));
        assertThat(e.avgContentLength()).isCloseTo(200 / 21.0, within(1e-9));
    }

    @Test
    void medianIsClampedIntoMinAndMax() {
        RequestStats stats = new RequestStats();
        stats.logRequest("GET", "slow-155", ms(155), 0);     // bucket 160 > max
        stats.logRequest("GET", "slow-1450", ms(1450), 0);   // bucket 1400 < min
        stats.logRequest("GET", "four", ms(7), 0);
        stats.logRequest("GET", "four", ms(7), 0);
        stats.logRequest("GET", "four", ms(8), 0);
        stats.logRequest("GET", "four", ms(9), 0);
        StatsSnapshot s = stats.snapshot();

        assertThat(entry(s, "slow-155").responseTimes()).containsOnlyKeys(160L);
        assertThat(entry(s, "slow-155").medianResponseTime()).isEqualTo(155.0);
        assertThat(entry(s, "slow-1450").medianResponseTime()).isEqualTo(1450.0);
        EntrySnapshot four = entry(s, "four");
        assertThat(four.medianResponseTime()).isEqualTo(7.0);
        assertThat(four.percentile(0.5)).isEqualTo(8);
        assertThat(four.percentile(0.75)).isEqualTo(9);
        assertThat(four.percentile(1.0)).isEqualTo(9);
    }

    @Test
    void emptyEntryHasZeroes() {
        EntrySnapshot e = EntrySnapshot.empty("x", "GET", 1000.0);
        assertThat(e.percentile(0.95)).isZero();
        assertThat(e.medianResponseTime()).isZero();
        assertThat(e.avgResponseTime()).isZero();
        assertThat(e.avgContentLength()).isZero();
        assertThat(e.failRatio()).isZero();
        assertThat(e.currentRps(1000.0, null)).isZero();
        assertThat(e.totalRps(1000.0, null)).isZero();
    }

    @Test
    void failRatioAndErrorTable() {
        RequestStats stats = twentyRequests();
        stats.logError("GET", "/b", "HTTPError('500 Server Error')");
        stats.logError("GET", "/b", "HTTPError('500 Server Error')");
        stats.logError("GET", "/b", "timeout");
        StatsSnapshot s = stats.snapshot();

        assertThat(entry(s, "/b").numFailures()).isEqualTo(3);
        assertThat(entry(s, "/b").failRatio()).isCloseTo(0.15, within(1e-12));
        assertThat(s.total().failRatio()).isCloseTo(0.15, within(1e-12));
        assertThat(s.errors()).hasSize(2);
        ErrorSnapshot server = s.errors().stream().filter(x -> x.error().startsWith("HTTPError")).findFirst().orElseThrow();
        assertThat(server.occurrences()).isEqualTo(2);
        assertThat(server.displayName()).isEqualTo("GET /b: HTTPError('500 Server Error')");
        assertThat(server.firstSeen()).isNotNull();
        assertThat(server.lastSeen()).isGreaterThanOrEqualTo(server.firstSeen());
        assertThat(s.total().numFailPerSec().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);

        // failures without any request (only possible via merged data): ratio 1, as Locust
        EntrySnapshot onlyFailures = new EntrySnapshot("x", "GET", 0, 0, 2, 0, null, 0, 0, 1.0, null,
                new long[0], new long[0], new TreeMap<>(), new TreeMap<>());
        assertThat(onlyFailures.failRatio()).isEqualTo(1.0);
    }

    @Test
    void currentRpsIsTheMeanOfTheTenSecondsEndingTwoSecondsBeforeTheLastRequest() {
        TreeMap<Long, Long> perSecond = new TreeMap<>();
        perSecond.put(1007L, 100L);                         // too old: before last - 12
        for (long t = 1008; t < 1018; t++) {
            perSecond.put(t, t - 1000);                     // 8..17, sum 125
        }
        perSecond.put(1018L, 500L);                         // the last two seconds are incomplete: excluded
        perSecond.put(1019L, 500L);
        perSecond.put(1020L, 500L);
        EntrySnapshot e = new EntrySnapshot("x", "GET", 1925, 0, 0, 0, null, 0, 0, 1000.0, 1020.7,
                new long[0], new long[0], perSecond, perSecond);

        assertThat(e.currentRps(1000.0, 1020.7)).isEqualTo(12.5);
        assertThat(e.currentFailPerSec(1000.0, 1020.7)).isEqualTo(12.5);
        // a recent start shortens the window: seconds 1015..1017
        assertThat(e.currentRps(1015.3, 1020.2)).isEqualTo(16.0);
        // nothing complete yet
        assertThat(e.currentRps(1019.0, 1020.9)).isZero();
        assertThat(e.currentRps(1000.0, null)).isZero();
    }

    @Test
    void totalRpsIsRequestsOverTheStatsLifetime() {
        EntrySnapshot e = new EntrySnapshot("x", "GET", 300, 0, 30, 0, null, 0, 0, 1000.0, 1020.0,
                new long[0], new long[0], new TreeMap<>(), new TreeMap<>());
        assertThat(e.totalRps(1000.0, 1020.0)).isEqualTo(15.0);
        assertThat(e.totalFailPerSec(1000.0, 1020.0)).isEqualTo(1.5);
        assertThat(e.totalRps(1000.0, 1000.0)).isZero();

        RequestStats stats = twentyRequests();
        StatsSnapshot s = stats.snapshot();
        double lifetime = s.lastRequestTimestamp() - s.startTime();
        assertThat(lifetime).isPositive();
        assertThat(s.totalRps(entry(s, "/b"))).isCloseTo(20 / lifetime, within(1e-6));
    }

    @Test
    void perSecondCountsAndTimestampsFollowTheClock() {
        long before = RequestStats.nowMicros();
        RequestStats stats = twentyRequests();
        long after = RequestStats.nowMicros();
        EntrySnapshot total = stats.snapshot().total();

        assertThat(total.name()).isEqualTo("Aggregated");
        assertThat(total.method()).isEmpty();
        assertThat(total.numReqsPerSec().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20);
        assertThat(total.numReqsPerSec().firstKey()).isBetween(before / 1_000_000, after / 1_000_000);
        assertThat(total.lastRequestTimestamp()).isBetween(before / 1e6, after / 1e6);
        assertThat(total.startTime()).isLessThanOrEqualTo(total.lastRequestTimestamp());
        assertThat(Math.abs(total.lastRequestTimestamp() - System.currentTimeMillis() / 1000.0)).isLessThan(5.0);
    }

    @Test
    void minusGivesWhatHappenedSinceThePreviousSnapshot() {
        RequestStats stats = new RequestStats();
        stats.logRequest("GET", "/a", ms(10), 100);
        stats.logRequest("GET", "/a", ms(20), 100);
        stats.logRequest("POST", "/b", ms(300), 5);
        stats.logError("POST", "/b", "boom");
        StatsSnapshot first = stats.snapshot();

        stats.logRequest("GET", "/a", ms(10), 50);
        stats.logRequest("GET", "/a", ms(500), 50);
        stats.logRequest("GET", "/c", -1, 0);
        stats.logError("GET", "/c", "no response");
        stats.logError("POST", "/b", "boom");
        stats.logRequest("POST", "/b", ms(300), 5);
        StatsSnapshot second = stats.snapshot();

        StatsSnapshot delta = second.minus(first, 12345.0);
        EntrySnapshot a = entry(delta, "/a");
        assertThat(a.numRequests()).isEqualTo(2);
        assertThat(a.numFailures()).isZero();
        assertThat(a.totalResponseTime()).isCloseTo(510.0, within(1e-9));
        assertThat(a.totalContentLength()).isEqualTo(100);
        assertThat(a.responseTimes()).containsExactly(Map.entry(10L, 1L), Map.entry(500L, 1L));
        assertThat(sum(a.numReqsPerSec())).isEqualTo(2);
        assertThat(a.startTime()).isEqualTo(12345.0);
        assertThat(a.minResponseTime()).isNotNull();
        assertThat(a.lastRequestTimestamp()).isNotNull();

        EntrySnapshot c = entry(delta, "/c");
        assertThat(c.numRequests()).isEqualTo(1);
        assertThat(c.numNoneRequests()).isEqualTo(1);
        assertThat(c.minResponseTime()).as("no timed request in the interval").isNull();
        assertThat(c.maxResponseTime()).isZero();
        assertThat(c.responseTimes()).isEmpty();
        assertThat(sum(c.numFailPerSec())).isEqualTo(1);

        assertThat(delta.total().numRequests()).isEqualTo(4);
        assertThat(delta.total().numNoneRequests()).isEqualTo(1);
        assertThat(delta.total().numFailures()).isEqualTo(2);
        assertThat(sum(delta.total().numReqsPerSec())).isEqualTo(4);
        assertThat(sum(delta.total().numFailPerSec())).isEqualTo(2);
        assertThat(delta.total().responseTimes()).containsExactly(
                Map.entry(10L, 1L), Map.entry(300L, 1L), Map.entry(500L, 1L));

        assertThat(delta.errors()).extracting(ErrorSnapshot::name, ErrorSnapshot::error, ErrorSnapshot::occurrences)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("/b", "boom", 1L),
                        org.assertj.core.groups.Tuple.tuple("/c", "no response", 1L));

        // nothing new: no entries, an empty total with min null, no errors
        StatsSnapshot idle = stats.snapshot().minus(second, 12346.0);
        assertThat(idle.entries()).isEmpty();
        assertThat(idle.errors()).isEmpty();
        assertThat(idle.total().numRequests()).isZero();
        assertThat(idle.total().minResponseTime()).isNull();
        assertThat(idle.total().lastRequestTimestamp()).isNull();
        assertThat(idle.total().responseTimes()).isEmpty();
        assertThat(idle.total().numReqsPerSec()).isEmpty();
    }

    @Test
    void mergingWorkerDeltasReproducesTheWorkersTotals() {
        RequestStats master = new RequestStats();
        List<RequestStats> workers = List.of(new RequestStats(), new RequestStats(), new RequestStats());
        List<StatsSnapshot> previous = new ArrayList<>(List.of(
                EmptySnapshots.of(), EmptySnapshots.of(), EmptySnapshots.of()));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String[] names = {"/a", "/b", "/c", "/d"};
        for (int round = 0; round < 4; round++) {
            for (int w = 0; w < workers.size(); w++) {
                RequestStats worker = workers.get(w);
                for (int i = 0; i < 200 + random.nextInt(200); i++) {
                    String name = names[random.nextInt(names.length)];
                    long micros = random.nextInt(10) == 0 ? -1 : random.nextLong(0, 30_000_000);
                    worker.logRequest("GET", name, micros, random.nextInt(2000));
                    if (random.nextInt(7) == 0) {
                        worker.logError("GET", name, "error " + random.nextInt(3));
                    }
                }
                StatsSnapshot now = worker.snapshot();
                StatsSnapshot delta = now.minus(previous.get(w), now.total().lastRequestTimestamp() - 3);
                previous.set(w, now);
                master.merge(delta.entries(), delta.total(), delta.errors());
            }
        }

        StatsSnapshot merged = master.snapshot();
        List<StatsSnapshot> finals = workers.stream().map(RequestStats::snapshot).toList();
        assertSameTotals(merged.total(), finals.stream().map(StatsSnapshot::total).toList());
        for (String name : names) {
            assertSameTotals(entry(merged, name), finals.stream().map(s -> entry(s, name)).toList());
        }
        Map<String, Long> expectedErrors = new HashMap<>();
        finals.forEach(s -> s.errors().forEach(e -> expectedErrors.merge(e.name() + " " + e.error(), e.occurrences(), Long::sum)));
        Map<String, Long> mergedErrors = new HashMap<>();
        merged.errors().forEach(e -> mergedErrors.merge(e.name() + " " + e.error(), e.occurrences(), Long::sum));
        assertThat(mergedErrors).isEqualTo(expectedErrors);
        assertThat(merged.errors()).hasSize(expectedErrors.size());
    }

    private static void assertSameTotals(EntrySnapshot merged, List<EntrySnapshot> parts) {
        assertThat(merged.numRequests()).isEqualTo(parts.stream().mapToLong(EntrySnapshot::numRequests).sum());
        assertThat(merged.numNoneRequests()).isEqualTo(parts.stream().mapToLong(EntrySnapshot::numNoneRequests).sum());
        assertThat(merged.numFailures()).isEqualTo(parts.stream().mapToLong(EntrySnapshot::numFailures).sum());
        assertThat(merged.totalContentLength()).isEqualTo(parts.stream().mapToLong(EntrySnapshot::totalContentLength).sum());
        assertThat(merged.totalResponseTime()).isCloseTo(parts.stream().mapToDouble(EntrySnapshot::totalResponseTime).sum(), within(1e-3));
        assertThat(merged.minResponseTime()).isEqualTo(parts.stream().map(EntrySnapshot::minResponseTime)
                .filter(java.util.Objects::nonNull).min(Double::compare).orElse(null));
        assertThat(merged.maxResponseTime()).isEqualTo(parts.stream().mapToDouble(EntrySnapshot::maxResponseTime).max().orElseThrow());
        assertThat(merged.responseTimes()).isEqualTo(sumMaps(parts.stream().map(EntrySnapshot::responseTimes).toList()));
        assertThat(merged.numReqsPerSec()).isEqualTo(sumMaps(parts.stream().map(EntrySnapshot::numReqsPerSec).toList()));
        assertThat(merged.numFailPerSec()).isEqualTo(sumMaps(parts.stream().map(EntrySnapshot::numFailPerSec).toList()));
        assertThat(merged.lastRequestTimestamp()).isCloseTo(parts.stream().map(EntrySnapshot::lastRequestTimestamp)
                .filter(java.util.Objects::nonNull).max(Double::compare).orElseThrow(), within(1e-5));
    }

    private static SortedMap<Long, Long> sumMaps(List<SortedMap<Long, Long>> maps) {
        TreeMap<Long, Long> out = new TreeMap<>();
        maps.forEach(m -> m.forEach((k, v) -> out.merge(k, v, Long::sum)));
        return out;
    }

    private static long sum(Map<Long, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A worker's "previous report" before its first one. */
    private static final class EmptySnapshots {
        static StatsSnapshot of() {
            return new StatsSnapshot(List.of(), EntrySnapshot.empty(RequestStats.TOTAL_NAME, "", 0), List.of());
        }
    }

    @Test
    void concurrentLoggingLosesNothing() throws Exception {
        RequestStats stats = new RequestStats();
        int threads = 16;
        int perThread = 50_000;
        String[] names = {"/one", "/two", "/three"};
        long[][] expectedPerThread = new long[threads][];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread thread = Thread.ofPlatform().start(() -> {
                long[] keys = new long[200_001];
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    // mostly fast, some up to 200 s (off the dense grid)
                    long micros = random.nextInt(50) == 0 ? random.nextLong(0, 200_000_000) : random.nextLong(0, 2_000_000);
                    stats.logRequest("GET", names[i % names.length], micros, 1);
                    keys[(int) ResponseTimeBuckets.keyForMicros(micros)]++;
                }
                expectedPerThread[index] = keys;
            });
            workers.add(thread);
        }
        go.countDown();
        for (Thread t : workers) {
            t.join();
        }

        TreeMap<Long, Long> expected = new TreeMap<>();
        for (long[] keys : expectedPerThread) {
            for (int k = 0; k < keys.length; k++) {
                if (keys[k] != 0) {
                    expected.merge((long) k, keys[k], Long::sum);
                }
            }
        }
        StatsSnapshot s = stats.snapshot();
        long n = (long) threads * perThread;
        assertThat(s.total().numRequests()).isEqualTo(n);
        assertThat(s.total().responseTimes()).isEqualTo(expected);
        assertThat(sum(s.total().responseTimes())).isEqualTo(n);
        assertThat(sum(s.total().numReqsPerSec())).isEqualTo(n);
        assertThat(s.total().totalContentLength()).isEqualTo(n);
        assertThat(s.entries().stream().mapToLong(EntrySnapshot::numRequests).sum()).isEqualTo(n);
        for (EntrySnapshot e : s.entries()) {
            assertThat(sum(e.responseTimes())).isEqualTo(e.numRequests());
            assertThat(sum(e.numReqsPerSec())).isEqualTo(e.numRequests());
        }
    }

    @Test
    void resetStartsAgainFromNothing() throws Exception {
        RequestStats stats = twentyRequests();
        stats.logError("GET", "/b", "x");
        double startBefore = stats.snapshot().startTime();
        Thread.sleep(5);
        stats.reset();
        StatsSnapshot s = stats.snapshot();

        assertThat(s.entries()).isEmpty();
        assertThat(s.errors()).isEmpty();
        assertThat(s.total().numRequests()).isZero();
        assertThat(s.total().numFailures()).isZero();
        assertThat(s.total().responseTimes()).isEmpty();
        assertThat(s.total().numReqsPerSec()).isEmpty();
        assertThat(s.total().minResponseTime()).isNull();
        assertThat(s.lastRequestTimestamp()).isNull();
        assertThat(s.startTime()).isGreaterThan(startBefore);

        stats.logRequest("GET", "/b", ms(5), 1);
        assertThat(entry(stats.snapshot(), "/b").numRequests()).isEqualTo(1);
    }
}
