package io.locusttelemetry.protocol;

import static io.locusttelemetry.protocol.Vectors.V2_12_1;
import static io.locusttelemetry.protocol.Vectors.V2_46_3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.locusttelemetry.protocol.Vectors.Vector;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Typed decoding of the captured frames, and typed encoding compared with what Locust sent. */
class TypedVectorTest {

    /**
     * Frames whose typed re-encoding legitimately differs from the capture, because Java workers
     * write time fields as float64 and histogram keys as ints.
     */
    private static final Map<String, String> TYPED_DIFFERS = Map.of(
            V2_12_1 + "/worker-to-master-stats.msgpack", "float64 histogram key 150.0 becomes int 150",
            V2_12_1 + "/variants/worker-to-master-stats-final-after-quit.msgpack", "float64 histogram key 150.0 becomes int 150",
            V2_12_1 + "/variants/worker-to-master-stats-initial-empty.msgpack", "int 0 response times become 0.0",
            V2_46_3 + "/variants/worker-to-master-stats-initial-empty.msgpack", "int 0 response times become 0.0",
            V2_12_1 + "/variants/worker-to-master-stats-foreign-extra-fields.msgpack",
            "int timestamps and response times become float64; unknown entry/error keys are dropped");

    private static LocustMessage typed(Vector v) throws CorruptMessageException {
        Message m = v.decode();
        return v.fromWorker() ? LocustMessage.fromWorker(m) : LocustMessage.fromMaster(m);
    }

    @TestFactory
    Stream<DynamicTest> typedReencodeMatchesCaptureWhereLocustWouldProduceTheSame() {
        return Vectors.all().stream().map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
            Message m = v.decode();
            LocustMessage t = typed(v);
            byte[] again = MessageCodec.encode(t.toMessage(m.nodeId()));
            String key = v.version() + "/" + v.file();
            if (TYPED_DIFFERS.containsKey(key)) {
                assertThat(again).as(TYPED_DIFFERS.get(key)).isNotEqualTo(v.bytes());
                // Still the same content once read back.
                Message back = MessageCodec.decode(again);
                assertThat(v.fromWorker() ? LocustMessage.fromWorker(back) : LocustMessage.fromMaster(back))
                        .isEqualTo(t);
            } else {
                assertThat(HexFormat.of().formatHex(again)).isEqualTo(HexFormat.of().formatHex(v.bytes()));
            }
        }));
    }

    @Test
    void clientReadyForms() throws Exception {
        ClientReady normal = (ClientReady) typed(Vectors.get(V2_12_1, "worker-to-master-client_ready.msgpack"));
        assertThat(normal.versionString()).isEqualTo("2.12.1");
        assertThat(normal.isForeign()).isFalse();
        assertThat(normal.isFalsy()).isFalse();

        ClientReady foreign = (ClientReady) typed(Vectors.get(V2_12_1, "variants/worker-to-master-client_ready-int-minus-one.msgpack"));
        assertThat(foreign.isForeign()).isTrue();
        assertThat(foreign.version()).isEqualTo(-1L);
        assertThat(MessageCodec.encode(ClientReady.foreign().toMessage("fakejava_307ceb9d3140")))
                .isEqualTo(Vectors.get(V2_12_1, "variants/worker-to-master-client_ready-int-minus-one.msgpack").bytes());

        ClientReady empty = (ClientReady) typed(Vectors.get(V2_12_1, "variants/worker-to-master-client_ready-empty-version.msgpack"));
        assertThat(empty.isFalsy()).isTrue();
        assertThat(empty.versionString()).isEmpty();

        assertThat(MessageCodec.encode(ClientReady.of("2.46.3").toMessage("vm_76c22d4e4a864fd8ae23103e7acba115")))
                .isEqualTo(Vectors.get(V2_46_3, "worker-to-master-client_ready.msgpack").bytes());
    }

    @Test
    void builtFromScratchMatchesCaptures() {
        String w1 = "vm_a90b7d79cdd649629e9d131ab803227c";
        String w2 = "vm_76c22d4e4a864fd8ae23103e7acba115";
        assertThat(MessageCodec.encode(new Ack(0).toMessage(w1)))
                .isEqualTo(Vectors.get(V2_12_1, "master-to-worker-ack.msgpack").bytes());
        assertThat(MessageCodec.encode(new Heartbeat("running", 0.0, 56135680).toMessage(w1)))
                .isEqualTo(Vectors.get(V2_12_1, "worker-to-master-heartbeat.msgpack").bytes());
        assertThat(MessageCodec.encode(new Heartbeat(NodeState.READY, 0.0, 0).toMessage(w2)))
                .isEqualTo(Vectors.get(V2_46_3, "variants/worker-to-master-heartbeat-ready.msgpack").bytes());
        assertThat(MessageCodec.encode(new HeartbeatReply().toMessage(w2)))
                .isEqualTo(Vectors.get(V2_46_3, "master-to-worker-heartbeat.msgpack").bytes());
        assertThat(MessageCodec.encode(new Spawning().toMessage(w1)))
                .isEqualTo(Vectors.get(V2_12_1, "worker-to-master-spawning.msgpack").bytes());
        assertThat(MessageCodec.encode(new Quit().toMessage(w1)))
                .isEqualTo(Vectors.get(V2_12_1, "worker-to-master-quit.msgpack").bytes());
        assertThat(MessageCodec.encode(new Quit().toMessage(w1)))
                .isEqualTo(Vectors.get(V2_12_1, "master-to-worker-quit.msgpack").bytes());
        assertThat(MessageCodec.encode(new Stop().toMessage("vm_830b2e92040746d89959925db6d90bd0")))
                .isEqualTo(Vectors.get(V2_12_1, "master-to-worker-stop.msgpack").bytes());
        assertThat(MessageCodec.encode(new ClientStopped().toMessage("vm_830b2e92040746d89959925db6d90bd0")))
                .isEqualTo(Vectors.get(V2_12_1, "worker-to-master-client_stopped.msgpack").bytes());
        assertThat(MessageCodec.encode(new Reconnect().toMessage("fakejava_307ceb9d3140")))
                .isEqualTo(Vectors.get(V2_12_1, "master-to-worker-reconnect.msgpack").bytes());
        assertThat(MessageCodec.encode(SpawningComplete.ofWorker(Map.of("WebUser", 3L)).toMessage(w1)))
                .isEqualTo(Vectors.get(V2_12_1, "worker-to-master-spawning_complete.msgpack").bytes());
        assertThat(MessageCodec.encode(SpawningComplete.broadcast(3).toMessage(w2)))
                .isEqualTo(Vectors.get(V2_46_3, "master-to-worker-spawning_complete.msgpack").bytes());

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("run_id", "abcd1234");
        metadata.put("testplan", "vectors");
        assertThat(MessageCodec.encode(new Message("set_metadata", metadata, w1)))
                .isEqualTo(Vectors.get(V2_12_1, "master-to-worker-set_metadata.msgpack").bytes());
        assertThat(MessageCodec.encode(new CustomTypeMessage("set_metadata", metadata).toMessage(w2)))
                .isEqualTo(Vectors.get(V2_46_3, "master-to-worker-set_metadata.msgpack").bytes());
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("received", "abcd1234");
        ack.put("worker_index", 0);
        assertThat(MessageCodec.encode(new Message("metadata_ack", ack, w1)))
                .isEqualTo(Vectors.get(V2_12_1, "worker-to-master-metadata_ack.msgpack").bytes());
    }

    @Test
    void javaDateTimeEncodesLikeLatestLocust() throws Exception {
        Vector probe = Vectors.get(V2_46_3, "master-to-worker-datetime_probe.msgpack");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sent_at", LocalDateTime.of(2024, 1, 5, 13, 45, 12, 123_456_000));
        data.put("label", "fixed naive datetime");
        Message m = new Message("datetime_probe", data, probe.decode().nodeId());
        assertThat(MessageCodec.encode(m)).isEqualTo(probe.bytes());

        // Decoding leaves the map as a map; the helper reads it.
        Object sentAt = ((Map<?, ?>) probe.decode().data()).get("sent_at");
        assertThat(sentAt).isInstanceOf(Map.class);
        assertThat(LocustDateTime.fromWire(sentAt)).contains(LocalDateTime.of(2024, 1, 5, 13, 45, 12, 123_456_000));
        Object echo = ((Map<?, ?>) Vectors.get(V2_46_3, "worker-to-master-datetime_probe_ack.msgpack").decode().data()).get("echo");
        assertThat(LocustDateTime.fromWire(echo)).contains(LocalDateTime.of(2024, 1, 5, 13, 45, 12, 123_456_000));
    }

    @Test
    void stats212NormalisesFloatHistogramKeys() throws Exception {
        Stats s = (Stats) typed(Vectors.get(V2_12_1, "worker-to-master-stats.msgpack"));
        assertThat(s.entries()).extracting(SerializedStatsEntry::name).containsExactly("/", "synthetic-slow", "/missing-page");
        SerializedStatsEntry slow = s.entries().get(1);
        assertThat(slow.method()).isEqualTo("CUSTOM");
        assertThat(slow.responseTimes()).containsExactly(entry(150L, 4L));
        assertThat(slow.totalResponseTime()).isEqualTo(589.2);
        assertThat(slow.minResponseTime()).isEqualTo(147.3);
        assertThat(slow.numReqsPerSec()).containsExactly(entry(1795303799L, 2L), entry(1795303800L, 2L));
        assertThat(s.total().name()).isEqualTo("Aggregated");
        assertThat(s.total().method()).isEmpty();
        assertThat(s.total().responseTimes()).containsExactly(entry(6L, 1L), entry(8L, 1L), entry(2L, 3L),
                entry(150L, 4L), entry(3L, 1L), entry(1L, 1L));
        assertThat(s.total().numRequests()).isEqualTo(11);
        assertThat(s.total().numFailPerSec()).containsExactly(entry(1795303799L, 2L));
        assertThat(s.userClassesCount()).containsExactly(entry("WebUser", 3L));
        assertThat(s.userCount()).isEqualTo(3);
        assertThat(s.extra()).isEmpty();

        String key = "07cf1bb0d0d9525ef6c57dd7918c79b04ad60cdada4219107c24e9e7e943e632";
        assertThat(s.errors()).containsOnlyKeys(key);
        StatsError e = s.errors().get(key);
        assertThat(e).isEqualTo(StatsError.of("/missing-page", "GET", "CatchResponseError('Got 404 for /missing-page')", 2));
        assertThat(e.firstSeen()).isNull();
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.toData()).containsOnlyKeys("name", "method", "error", "occurrences");
    }

    @Test
    void statsTotalMethodNilBeforeFirstSpawnIn212ButEmptyInLatest() throws Exception {
        Stats old = (Stats) typed(Vectors.get(V2_12_1, "variants/worker-to-master-stats-initial-empty.msgpack"));
        assertThat(old.entries()).isEmpty();
        assertThat(old.total().method()).isNull();
        assertThat(old.total().minResponseTime()).isNull();
        assertThat(old.total().lastRequestTimestamp()).isNull();
        assertThat(old.total().maxResponseTime()).isZero();
        Map<?, ?> encodedTotal = (Map<?, ?>) ((Map<?, ?>) old.toMessage("w").data()).get("stats_total");
        assertThat(encodedTotal.get("method")).isNull();
        assertThat(encodedTotal.get("min_response_time")).isNull();
        assertThat(encodedTotal.containsKey("method")).isTrue();

        Stats latest = (Stats) typed(Vectors.get(V2_46_3, "variants/worker-to-master-stats-initial-empty.msgpack"));
        assertThat(latest.total().method()).isEmpty();
        assertThat(latest.total().minResponseTime()).isNull();
    }

    @Test
    void latestStatsErrorsCarryFirstAndLastSeen() throws Exception {
        Stats s = (Stats) typed(Vectors.get(V2_46_3, "worker-to-master-stats.msgpack"));
        StatsError e = s.errors().values().iterator().next();
        assertThat(e.firstSeen()).isNotNull().isPositive();
        assertThat(e.lastSeen()).isNotNull().isGreaterThanOrEqualTo(e.firstSeen());
        assertThat(e.toData()).containsOnlyKeys("name", "method", "error", "occurrences", "first_seen", "last_seen");
        assertThat(s.errors().keySet()).containsExactly(e.key());
        assertThat(s.total().responseTimes().keySet()).allMatch(k -> k instanceof Long);
    }

    @Test
    void foreignWorkerStatsWithIntsAndExtraKeys() throws Exception {
        Stats s = (Stats) typed(Vectors.get(V2_12_1, "variants/worker-to-master-stats-foreign-extra-fields.msgpack"));
        SerializedStatsEntry e = s.entries().get(0);
        assertThat(e.name()).isEqualTo("/java");
        assertThat(e.lastRequestTimestamp()).isEqualTo(1795303903.0);
        assertThat(e.startTime()).isEqualTo(1795303900.0);
        assertThat(e.numRequests()).isEqualTo(10);
        assertThat(e.responseTimes()).containsOnlyKeys(20L, 50L, 120L);
        assertThat(s.extra()).containsOnlyKeys("java_extra_top_level");
        assertThat(s.extra().get("java_extra_top_level")).isEqualTo(Map.of("jvm", "17"));
        assertThat(s.errors().get("java-error-key-1").error()).isEqualTo("HTTP 500 Internal Server Error");
        assertThat(s.errors()).containsOnlyKeys("java-error-key-1");
        // Plugin keys are written back after the standard ones.
        Map<?, ?> data = (Map<?, ?>) s.toMessage("fakejava_307ceb9d3140").data();
        assertThat(new java.util.ArrayList<Object>(data.keySet())).containsExactly("stats", "stats_total", "errors",
                "user_classes_count", "user_count", "java_extra_top_level");
    }

    @Test
    void spawnVariants() throws Exception {
        Spawn old = (Spawn) typed(Vectors.get(V2_12_1, "master-to-worker-spawn.msgpack"));
        assertThat(old.stopTimeout()).isNull();
        assertThat(old.host()).isEqualTo("http://127.0.0.1:80");
        assertThat(old.userClassesCount()).containsExactly(entry("WebUser", 3L));
        assertThat(old.userCount()).isEqualTo(3);
        assertThat(old.parsedOptions()).hasSize(50).containsEntry("run_time", 8L).containsEntry("spawn_rate", 3.0)
                .containsEntry("tags", null);
        assertThat(old.timestamp()).isEqualTo(1795303797.9710932);

        Spawn latest = (Spawn) typed(Vectors.get(V2_46_3, "master-to-worker-spawn.msgpack"));
        assertThat(latest.stopTimeout()).isEqualTo(0.0);
        assertThat(latest.parsedOptions()).hasSize(56).containsEntry("stop_timeout", 0L);

        // A spawn built field by field is byte-identical to the master's.
        Spawn rebuilt = new Spawn(latest.timestamp(), Map.of("WebUser", 3L), "http://127.0.0.1:80", 0.0,
                new LinkedHashMap<>(latest.parsedOptions()));
        assertThat(MessageCodec.encode(rebuilt.toMessage("vm_76c22d4e4a864fd8ae23103e7acba115")))
                .isEqualTo(Vectors.get(V2_46_3, "master-to-worker-spawn.msgpack").bytes());
    }

    @Test
    void latestOnlyMessages() throws Exception {
        Logs logs = (Logs) typed(Vectors.get(V2_46_3, "worker-to-master-logs.msgpack"));
        assertThat(logs.workerId()).isEqualTo("vm_76c22d4e4a864fd8ae23103e7acba115");
        assertThat(logs.logs()).hasSizeGreaterThan(16).allMatch(l -> l.startsWith("["));

        LocustfileRequest req = (LocustfileRequest) typed(Vectors.get(V2_46_3, "worker-to-master-locustfile.msgpack"));
        assertThat(req.version()).isEqualTo("2.46.3");
        LocustfileReply reply = (LocustfileReply) typed(Vectors.get(V2_46_3, "master-to-worker-locustfile.msgpack"));
        assertThat(reply.error()).isNull();
        assertThat(reply.locustfiles()).hasSize(1);
        assertThat(reply.locustfiles().get(0).filename()).isEqualTo("locustfile.py");
        assertThat(reply.locustfiles().get(0).contents()).contains("locustfile");

        SpawningComplete broadcast = (SpawningComplete) typed(Vectors.get(V2_46_3, "master-to-worker-spawning_complete.msgpack"));
        assertThat(broadcast.userClassesCount()).isNull();
        assertThat(broadcast.userCount()).isEqualTo(3);

        ExceptionReport ex = (ExceptionReport) typed(Vectors.get(V2_46_3, "worker-to-master-exception.msgpack"));
        assertThat(ex.msg()).isEqualTo("deliberate task failure for vector capture");
        assertThat(ex.traceback()).contains("locust/user/task.py");

        assertThat(typed(Vectors.get(V2_12_1, "variants/worker-to-master-unknown-type-java_hello.msgpack")))
                .isEqualTo(new CustomTypeMessage("java_hello", Map.of("x", 1L)));
    }

    @Test
    void heartbeatVariants() throws Exception {
        Heartbeat hb = (Heartbeat) typed(Vectors.get(V2_46_3, "variants/worker-to-master-heartbeat-after-first-cpu-sample.msgpack"));
        assertThat(hb).isEqualTo(new Heartbeat("running", 0.0, 59473920));
        Ack ack = (Ack) typed(Vectors.get(V2_46_3, "master-to-worker-ack.msgpack"));
        assertThat(ack.index()).isZero();
    }
}
