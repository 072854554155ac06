package io.locusttelemetry.engine.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseTimeBucketsTest {

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
        // below 100 ms: nearest integer, ties to even (Python's round)
        "0.4, 0", "0.5, 0", "1.5, 2", "2.5, 2", "3.5, 4", "42, 42", "99.4, 99", "99.5, 100", "99.6, 100",
        // 100 ms .. 1 s: nearest 10
        "100, 100", "104.9, 100", "145, 140", "147, 150", "155, 160", "994.9, 990", "995, 1000", "999.7, 1000",
        // 1 s .. 10 s: nearest 100
        "1000, 1000", "1450, 1400", "1550, 1600", "3432, 3400", "9950, 10000",
        // from 10 s: nearest 1000
        "10000, 10000", "14500, 14000", "15500, 16000", "58760, 59000", "99499, 99000", "99500, 100000",
        "100500, 100000", "123456, 123000"
    })
    void bucketsLikeLocust(double millis, long key) {
        assertThat(ResponseTimeBuckets.keyForMillis(millis)).isEqualTo(key);
        assertThat(ResponseTimeBuckets.keyForMicros(Math.round(millis * 1000))).isEqualTo(key);
    }

    @Test
    void negativeTimesCountAsZero() {
        assertThat(ResponseTimeBuckets.keyForMicros(-5)).isZero();
    }

    @Test
    void everyDenseSlotRoundTripsThroughItsKey() {
        long previous = -1;
        for (int slot = 0; slot < ResponseTimeBuckets.DENSE_SLOTS; slot++) {
            long key = ResponseTimeBuckets.keyOfSlot(slot);
            assertThat(key).as("slot %d", slot).isGreaterThan(previous);
            assertThat(ResponseTimeBuckets.slotOf(key)).as("key %d", key).isEqualTo(slot);
            previous = key;
        }
        assertThat(ResponseTimeBuckets.keyOfSlot(0)).isZero();
        assertThat(ResponseTimeBuckets.keyOfSlot(ResponseTimeBuckets.DENSE_SLOTS - 1)).isEqualTo(99_000);
    }

    @Test
    void everyKeyTheBucketingProducesBelow100SecondsHasADenseSlot() {
        for (long micros = 0; micros < 99_500_000; micros += 250) {
            long key = ResponseTimeBuckets.keyForMicros(micros);
            int slot = ResponseTimeBuckets.slotOf(key);
            assertThat(slot).as("%d us -> key %d", micros, key).isNotNegative();
            assertThat(ResponseTimeBuckets.keyOfSlot(slot)).isEqualTo(key);
        }
    }

    @Test
    void offGridKeysHaveNoSlot() {
        for (long key : new long[] {-1, 155, 1234, 10_500, 100_000, 123_456, 1_000_000}) {
            assertThat(ResponseTimeBuckets.slotOf(key)).as("key %d", key).isEqualTo(-1);
        }
    }

    @Test
    void offGridKeysReceivedFromElsewhereAreKeptExactly() {
        RequestStats stats = new RequestStats();
        // e.g. from a worker with another bucketing, or a latest Locust sending 150.0 normalised to 150
        EntrySnapshot delta = new EntrySnapshot("/x", "GET", 7, 0, 0, 124_000, 150.0, 123_456.0, 0, 1000.0, 1001.0,
                new long[] {150, 155, 123_456}, new long[] {2, 3, 2}, new TreeMap<>(Map.of(1000L, 7L)), new TreeMap<>());
        stats.merge(List.of(delta), delta, List.of());
        stats.merge(List.of(delta), delta, List.of());
        stats.logRequest("GET", "/x", 123_000_000, 0);

        EntrySnapshot entry = stats.snapshot().entries().get(0);
        assertThat(entry.responseTimes()).containsExactly(
                Map.entry(150L, 4L), Map.entry(155L, 6L), Map.entry(123_000L, 1L), Map.entry(123_456L, 4L));
        assertThat(stats.snapshot().total().responseTimes()).isEqualTo(entry.responseTimes());
        assertThat(entry.numRequests()).isEqualTo(15);
    }
}
