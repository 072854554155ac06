package io.locusttelemetry.engine.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Snapshots taken while users record, as a worker's reports are: every difference of two holds
 * exactly the timed requests in its histogram and no more failures than requests, which is what a
 * master checks in each report; and the differences add up to what was recorded.
 */
class SnapshotConsistencyTest {

    @Test
    void deltasTakenUnderLoadAreConsistentAndAddUp() throws Exception {
        RequestStats stats = new RequestStats();
        int writers = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong recorded = new AtomicLong();
        AtomicLong recordedFailures = new AtomicLong();
        CountDownLatch started = new CountDownLatch(writers);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            long seed = w;
            Thread t = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                started.countDown();
                while (!stop.get()) {
                    // timed and untimed, fast and very slow (sparse buckets), successes and failures
                    long micros = rnd.nextInt(10) == 0 ? -1 : rnd.nextInt(20) == 0 ? 150_000_000L + rnd.nextInt(1_000_000) : rnd.nextInt(2_000_000);
                    boolean failed = rnd.nextInt(3) == 0;
                    stats.logRequest("GET", "/" + rnd.nextInt(3), micros, 10, failed ? "boom" : null);
                    recorded.incrementAndGet();
                    if (failed) {
                        recordedFailures.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        started.await();
        StatsSnapshot previous = null;
        long reqSum = 0;
        long failSum = 0;
        int deltas = 0;
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end) {
            StatsSnapshot now = stats.snapshot();
            StatsSnapshot delta = previous == null ? now : now.minus(previous, 0);
            for (EntrySnapshot e : withTotal(delta)) {
                check(e);
            }
            reqSum += delta.total().numRequests();
            failSum += delta.total().numFailures();
            previous = now;
            deltas++;
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        StatsSnapshot last = stats.snapshot().minus(previous, 0);
        withTotal(last).forEach(SnapshotConsistencyTest::check);
        reqSum += last.total().numRequests();
        failSum += last.total().numFailures();
        System.out.printf("%d deltas over %d requests%n", deltas, recorded.get());
        assertThat(deltas).isGreaterThan(100);
        assertThat(reqSum).isEqualTo(recorded.get());
        assertThat(failSum).isEqualTo(recordedFailures.get());
    }

    private static List<EntrySnapshot> withTotal(StatsSnapshot s) {
        List<EntrySnapshot> all = new ArrayList<>(s.entries());
        all.add(s.total());
        return all;
    }

    private static void check(EntrySnapshot e) {
        long histogram = 0;
        for (long c : e.responseTimeCounts()) {
            assertThat(c).isNotNegative();
            histogram += c;
        }
        assertThat(histogram).as("histogram of %s", e.name()).isEqualTo(e.numRequests() - e.numNoneRequests());
        assertThat(e.numFailures()).as("failures of %s", e.name()).isBetween(0L, e.numRequests());
        assertThat(e.numNoneRequests()).isBetween(0L, e.numRequests());
        if (e.minResponseTime() != null) {
            assertThat(e.minResponseTime()).isLessThanOrEqualTo(e.maxResponseTime());
        }
    }
}
