package io.locusttelemetry.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.protocol.ErrorKey;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.MessageCodec;
import io.locusttelemetry.protocol.Stats;
import io.locusttelemetry.protocol.SerializedStatsEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireStatsTest {

    @Test
    void deltasMergedOnAMasterAddUpToTheWorkersStatistics() throws Exception {
        RequestStats worker = new RequestStats();
        RequestStats master = new RequestStats();
        worker.logRequest("GET", "/a", 12_300, 100);
        worker.logRequest("GET", "/a", 147_300, 100);
        worker.logError("GET", "/a", "HTTP 500");
        StatsSnapshot first = worker.snapshot();
        mergeThroughTheWire(master, WireStats.report(first, Map.of("U", 2)));
        worker.logRequest("GET", "/b", -1, 0);
        worker.logRequest("GET", "/a", 2_000, 10);
        worker.logError("GET", "/a", "HTTP 500");
        StatsSnapshot second = worker.snapshot();
        Stats delta = WireStats.report(second.minus(first, 1.0), Map.of("U", 2));
        assertThat(delta.entries()).extracting(SerializedStatsEntry::name).containsExactlyInAnyOrder("/a", "/b");
        SerializedStatsEntry b = delta.entries().stream().filter(e -> e.name().equals("/b")).findFirst().orElseThrow();
        assertThat(b.minResponseTime()).as("no timed request: nil, never 0").isNull();
        assertThat(delta.total().numRequests()).isEqualTo(2);
        assertThat(delta.errors()).containsOnlyKeys(ErrorKey.of("GET", "/a", "HTTP 500"));
        assertThat(delta.errors().values().iterator().next().occurrences()).isEqualTo(1);
        mergeThroughTheWire(master, delta);

        StatsSnapshot merged = master.snapshot();
        StatsSnapshot original = worker.snapshot();
        assertThat(merged.total().numRequests()).isEqualTo(4).isEqualTo(original.total().numRequests());
        assertThat(merged.total().responseTimes()).isEqualTo(original.total().responseTimes()).containsEntry(150L, 1L);
        assertThat(merged.total().numReqsPerSec()).isEqualTo(original.total().numReqsPerSec());
        assertThat(merged.total().minResponseTime()).isEqualTo(2.0);
        assertThat(merged.total().percentile(0.5)).isEqualTo(original.total().percentile(0.5));
        assertThat(merged.errors()).singleElement().satisfies(e -> assertThat(e.occurrences()).isEqualTo(2));
        EntrySnapshot a = merged.entries().stream().filter(e -> e.name().equals("/a")).findFirst().orElseThrow();
        assertThat(a.numFailures()).isEqualTo(2);
        assertThat(a.totalContentLength()).isEqualTo(210);
    }

    @Test
    void masterTakesItsTotalOnlyFromStatsTotal() {
        RequestStats master = new RequestStats();
        SerializedStatsEntry row = new SerializedStatsEntry("/x", "GET", 10.0, 9.0, 3, 0, 0, 30.0, 12.0, 8.0, 0, Map.of(10L, 3L), Map.of(10L, 3L), Map.of());
        SerializedStatsEntry total = new SerializedStatsEntry("Aggregated", null, 10.0, 9.0, 5, 0, 0, 50.0, 12.0, 8.0, 0, Map.of(10L, 5L), Map.of(10L, 5L), Map.of());
        WireStats.merge(master, Stats.of(List.of(row), total, Map.of(), Map.of()));
        assertThat(master.snapshot().total().numRequests()).isEqualTo(5);
        assertThat(master.snapshot().entries()).singleElement().satisfies(e -> assertThat(e.numRequests()).isEqualTo(3));
    }

    private static void mergeThroughTheWire(RequestStats master, Stats report) throws Exception {
        Message decoded = MessageCodec.decode(MessageCodec.encode(report.toMessage("w")));
        WireStats.merge(master, Stats.fromMessage(decoded));
    }
}
