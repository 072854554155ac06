package io.locusttelemetry.bench.jmh;

import io.locusttelemetry.telemetry.TelemetryLevel;
import io.locusttelemetry.telemetry.TelemetryRecord;
import io.locusttelemetry.telemetry.TelemetryType;
import io.locusttelemetry.telemetry.json.internal.JsonLineWriter;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encoding one JSON telemetry line (a request-stats record, the most frequent one). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class JsonLineBenchmark {
    private JsonLineWriter writer;
    private TelemetryRecord record;

    @Setup
    public void setup() {
        writer = new JsonLineWriter(OutputStream.nullOutputStream(), false, "null");
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("telemetry_type", "metrics");
        t.put("telemetry_name", "locust.tl.request.metric.stats");
        t.put("source", "LocalRunner");
        t.put("source_id", "vm-1234-abcd");
        t.put("run_id", "2026-11-22T02:00:00.000Z");
        t.put("testplan", "bench");
        t.put("endpoint", "/file.txt");
        t.put("method", "GET");
        t.put("num_requests", 123456L);
        t.put("num_failures", 3L);
        t.put("avg_response_time", 1.234);
        t.put("p95_response_time", 5.0);
        t.put("current_rps", 9876.5);
        record = new TelemetryRecord(Instant.parse("2026-11-22T02:00:03.456Z"), TelemetryLevel.INFO,
                "locust_telemetry.json", "Recording telemetry metrics: locust.tl.request.metric.stats",
                TelemetryType.METRICS, "locust.tl.request.metric.stats", t);
    }

    @Benchmark
    public byte[] encode() {
        return writer.encode(record);
    }
}
