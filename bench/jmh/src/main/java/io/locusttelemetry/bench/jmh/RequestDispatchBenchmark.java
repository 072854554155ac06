package io.locusttelemetry.bench.jmh;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.RequestEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A finished request from the user's thread: the request event built and fired, statistics as
 * its (first) listener. Telemetry recorders as further listeners are still to add here.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RequestDispatchBenchmark {
    private Environment env;

    @State(Scope.Thread)
    public static class Cursor {
        int i;
    }

    @Setup
    public void setup() {
        env = Environment.builder().build();
    }

    @Benchmark
    public void fireRequest(Cursor c) {
        int i = c.i++;
        env.fireRequest(new RequestEvent("GET", "/file.txt", 0.8 + (i & 63) * 0.01, 100, 200, null,
                System.currentTimeMillis(), "http://127.0.0.1:8080/file.txt", null, null, null));
    }
}
