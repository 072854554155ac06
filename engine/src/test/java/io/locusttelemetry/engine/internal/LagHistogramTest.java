package io.locusttelemetry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.SchedulingLag;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The lag buckets: every value falls in the bucket that covers it, within 6%; readers see their own intervals. */
class LagHistogramTest {

    @Test
    void everyValueFallsInTheBucketThatCoversIt() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 100_000; i++) {
            long micros = i < 1000 ? i : r.nextLong(1L << (5 + r.nextInt(36)));
            int b = LagHistogram.index(micros);
            assertThat(b).isBetween(0, LagHistogram.BUCKETS - 1);
            long lower = LagHistogram.lowerMicros(b);
            long width = LagHistogram.widthMicros(b);
            assertThat(micros).as("%d in bucket %d", micros, b).isBetween(lower, lower + width - 1);
            if (lower >= 32) {
                assertThat((double) width / lower).isLessThanOrEqualTo(1.0 / 16 + 1e-9);
            } else {
                assertThat(width).isEqualTo(1);
            }
        }
        // hostile values: negative, huge
        assertThat(LagHistogram.index(-5)).isZero();
        assertThat(LagHistogram.index(Long.MAX_VALUE)).isEqualTo(LagHistogram.BUCKETS - 1);
    }

    @Test
    void aReaderSeesTheWakeUpsSinceItsLastRead() throws Exception {
        SchedulingLag.Reader reader = SchedulingLag.reader();
        SchedulingLag.Reader other = SchedulingLag.reader();
        WaitTimer.Waiter w = null;
        for (int i = 0; i < 50; i++) {
            w = WaitTimer.sleep(w, 2_000_000);
        }
        SchedulingLag.Interval first = reader.next();
        // other tests may wait at the same time in this JVM: at least ours are counted
        assertThat(first.wakeUps()).isGreaterThanOrEqualTo(50);
        assertThat(first.p50Millis()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(first.p99Millis());
        assertThat(first.p99Millis()).isLessThanOrEqualTo(first.maxMillis());
        assertThat(other.next().wakeUps()).isGreaterThanOrEqualTo(first.wakeUps());
        assertThat(reader.next().wakeUps()).isLessThan(first.wakeUps());
    }
}
