package io.locusttelemetry.bench.jmh;

import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.ResponseTimeBuckets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Stats recording of one completed request, and the response-time bucket lookup under it. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class StatsRecordingBenchmark {
    private static final String[] NAMES = {"/", "/file.txt", "/checkout/cart", "/checkout/pay"};

    /** Response times spread like a real run: mostly around a millisecond, some tail. */
    private final long[] micros = new long[1024];
    private RequestStats stats;

    @State(Scope.Thread)
    public static class Cursor {
        int i;
    }

    @Setup
    public void setup() {
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < micros.length; i++) {
            micros[i] = (long) (800 + Math.abs(r.nextGaussian()) * (i % 50 == 0 ? 40_000 : 400));
        }
        stats = new RequestStats();
    }

    @Benchmark
    public void logRequest(Cursor c) {
        int i = c.i++ & 1023;
        stats.logRequest("GET", NAMES[i & 3], micros[i], 100);
    }

    /** Several user threads recording into the same entries, as virtual threads on 2+ carriers do. */
    @Benchmark
    @org.openjdk.jmh.annotations.Threads(2)
    public void logRequestContended(Cursor c) {
        int i = c.i++ & 1023;
        stats.logRequest("GET", "/file.txt", micros[i], 100);
    }

    @Benchmark
    public int bucketSlot(Cursor c) {
        int i = c.i++ & 1023;
        return ResponseTimeBuckets.slotOf(ResponseTimeBuckets.keyForMicros(micros[i]));
    }
}
