package io.locusttelemetry.bench.jmh;

import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.MessageCodec;
import io.locusttelemetry.protocol.Stats;
import io.locusttelemetry.protocol.SerializedStatsEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A worker's 3-second stats report: building the message and encoding it as msgpack, and decoding it. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class MsgpackStatsBenchmark {
    /** Request names in the report. */
    @Param({"1", "20"})
    public int endpoints;

    private Stats stats;
    private byte[] frame;

    @Setup
    public void setup() {
        List<SerializedStatsEntry> entries = new ArrayList<>();
        for (int e = 0; e < endpoints; e++) {
            entries.add(entry("/endpoint/" + e));
        }
        stats = Stats.of(entries, entry(SerializedStatsEntry.AGGREGATED), Map.of(), Map.of("BenchUser", 50L));
        frame = MessageCodec.encode(stats.toMessage("worker-1"));
    }

    /** A row as a worker sends it after 3 s at ~10k req/s: ~60 response-time buckets, 3 seconds of counts. */
    private static SerializedStatsEntry entry(String name) {
        Map<Long, Long> buckets = new LinkedHashMap<>();
        for (long ms = 0; ms < 60; ms++) {
            buckets.put(ms < 10 ? ms : ms * 10, 500 - ms * 8);
        }
        Map<Long, Long> perSec = new LinkedHashMap<>();
        for (long s = 0; s < 3; s++) {
            perSec.put(1_795_000_000L + s, 10_000L);
        }
        return new SerializedStatsEntry(name, "GET", 1.795000003e9, 1.795e9, 30_000, 0, 2, 36_000.0, 120.0, 0.4,
                3_000_000, buckets, perSec, Map.of(1_795_000_001L, 2L));
    }

    @Benchmark
    public byte[] encode() {
        return MessageCodec.encode(stats.toMessage("worker-1"));
    }

    @Benchmark
    public Stats decode() throws Exception {
        Message m = MessageCodec.decode(frame);
        return Stats.fromMessage(m);
    }
}
