package io.locusttelemetry.protocol;

import static io.locusttelemetry.protocol.MessageCodecTest.orderedMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Leniency and exact encoding of the typed records, independent of the captures. */
class TypedMessagesTest {

    private static Message roundTrip(Message m) throws CorruptMessageException {
        return MessageCodec.decode(MessageCodec.encode(m));
    }

    @Test
    void histogramKeysAreNormalisedFromIntsAndFloats() {
        Map<Object, Object> rt = orderedMap(6L, 1L, 150.0, 4L, 150L, 2L, 1000.0f, 1L, 150.5, 1L, 151.5, 1L,
                "junk", 9L, Double.NaN, 3L, 7L, 2.0);
        SerializedStatsEntry e = SerializedStatsEntry.fromData(orderedMap("name", "x", "response_times", rt));
        // 150.0 and 150 are one Python dict key; a fractional key rounds half to even.
        assertThat(e.responseTimes()).containsExactly(entry(6L, 1L), entry(150L, 7L), entry(1000L, 1L),
                entry(152L, 1L), entry(7L, 2L));
    }

    @Test
    void nilMinResponseTimeRoundTrips() throws Exception {
        SerializedStatsEntry empty = SerializedStatsEntry.empty("Aggregated", "", 1795303797.036587);
        Message m = Stats.of(List.of(), empty, Map.of(), Map.of("WebUser", 0L)).toMessage("w");
        Map<?, ?> total = (Map<?, ?>) ((Map<?, ?>) roundTrip(m).data()).get("stats_total");
        assertThat(total.get("min_response_time")).isNull();
        assertThat(total.containsKey("min_response_time")).isTrue();
        assertThat(total.get("last_request_timestamp")).isNull();
        Stats back = Stats.fromMessage(roundTrip(m));
        assertThat(back.total().minResponseTime()).isNull();
        assertThat(back.total()).isEqualTo(empty);
        assertThat(back.userCount()).isZero();

        SerializedStatsEntry timed = new SerializedStatsEntry("/", "GET", 10.5, 9.0, 2, 0, 0, 3.0, 2.0, 1.0, 10,
                Map.of(1L, 1L, 2L, 1L), Map.of(10L, 2L), Map.of());
        assertThat(SerializedStatsEntry.fromData(roundTrip(new Message("x", timed.toData(), "w")).data())).isEqualTo(timed);
    }

    @Test
    void statsEntryKeyOrderAndWireTypes() throws Exception {
        SerializedStatsEntry e = new SerializedStatsEntry("/", "GET", 1.0, 0.5, 5, 0, 1, 19, 7, 1.0, 3075,
                new LinkedHashMap<>(Map.of(6L, 1L)), Map.of(1795303798L, 3L), Map.of());
        assertThat(new ArrayList<Object>(e.toData().keySet())).containsExactly("name", "method", "last_request_timestamp",
                "start_time", "num_requests", "num_none_requests", "num_failures", "total_response_time",
                "max_response_time", "min_response_time", "total_content_length", "response_times",
                "num_reqs_per_sec", "num_fail_per_sec");
        String hex = HexFormat.of().formatHex(MessageCodec.encodeValue(e.toData()));
        // total_response_time 19 goes out as float64, the per-second key as uint32.
        assertThat(hex).contains(HexFormat.of().formatHex("total_response_time".getBytes()) + "cb4033000000000000");
        assertThat(hex).contains("ce6b022976");
    }

    @Test
    void statsEntryAcceptsIntsOrFloatsAndMissingKeys() {
        SerializedStatsEntry e = SerializedStatsEntry.fromData(orderedMap("name", "/j", "method", "GET", "last_request_timestamp", 5L,
                "start_time", 4L, "num_requests", 3.0, "total_response_time", 530L, "max_response_time", 120L,
                "min_response_time", 20L, "num_reqs_per_sec", orderedMap(5L, 3L), "extra", true));
        assertThat(e.lastRequestTimestamp()).isEqualTo(5.0);
        assertThat(e.startTime()).isEqualTo(4.0);
        assertThat(e.numRequests()).isEqualTo(3);
        assertThat(e.totalResponseTime()).isEqualTo(530.0);
        assertThat(e.minResponseTime()).isEqualTo(20.0);
        assertThat(e.numFailures()).isZero();
        assertThat(e.responseTimes()).isEmpty();
        assertThat(e.numReqsPerSec()).containsExactly(entry(5L, 3L));

        SerializedStatsEntry none = SerializedStatsEntry.fromData("not a map");
        assertThat(none).isEqualTo(new SerializedStatsEntry("", null, null, 0.0, 0, 0, 0, 0.0, 0.0, null, 0, null, null, null));
    }

    @Test
    void statsErrorOptionalTimes() {
        StatsError old = StatsError.of("/x", "GET", "boom", 2);
        assertThat(old.toData()).containsOnlyKeys("name", "method", "error", "occurrences");
        StatsError latest = new StatsError("/x", "GET", "boom", 2, 1.5, 2.5);
        assertThat(new ArrayList<Object>(latest.toData().keySet()))
                .containsExactly("name", "method", "error", "occurrences", "first_seen", "last_seen");
        assertThat(StatsError.fromData(latest.toData())).isEqualTo(latest);
        assertThat(StatsError.fromData(orderedMap("name", "/x", "method", "GET", "error", "boom", "occurrences", 2L,
                "first_seen", null, "last_seen", null))).isEqualTo(old);
    }

    @Test
    void statsDefaultsWhenKeysAreMissing() {
        Stats s = Stats.fromMessage(new Message("stats", orderedMap("user_classes_count", orderedMap("A", 2L, "B", 3L)), "w"));
        assertThat(s.entries()).isEmpty();
        assertThat(s.total().name()).isEqualTo("Aggregated");
        assertThat(s.errors()).isEmpty();
        assertThat(s.userCount()).isEqualTo(5);
        assertThat(Stats.fromMessage(new Message("stats", null, "w")).userClassesCount()).isEmpty();
    }

    @Test
    void heartbeatAndAckLeniency() throws Exception {
        assertThat(Heartbeat.fromMessage(new Message("heartbeat", orderedMap("state", "ready", "current_cpu_usage", 3L,
                "current_memory_usage", 1.5e9, "extra", 1L), "w"))).isEqualTo(new Heartbeat("ready", 3.0, 1_500_000_000L));
        assertThat(Heartbeat.fromMessage(new Message("heartbeat", null, "w"))).isEqualTo(new Heartbeat(null, 0.0, 0));
        assertThat(Ack.fromMessage(new Message("ack", null, "w")).index()).isZero();
        assertThat(Ack.fromMessage(new Message("ack", orderedMap("index", 4L), "w")).index()).isEqualTo(4);
        Map<?, ?> hb = (Map<?, ?>) roundTrip(new Heartbeat("running", 1.4, 57253888).toMessage("w")).data();
        assertThat(new ArrayList<Object>(hb.keySet())).containsExactly("state", "current_cpu_usage", "current_memory_usage");
        assertThat(hb.get("current_cpu_usage")).isEqualTo(1.4);
        assertThat(hb.get("current_memory_usage")).isEqualTo(57253888L);
        assertThatThrownBy(() -> Heartbeat.fromMessage(new Message("ack", null, "w")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientReadyTruthiness() {
        assertThat(new ClientReady(null).isFalsy()).isTrue();
        assertThat(new ClientReady(0L).isFalsy()).isTrue();
        assertThat(new ClientReady(false).isFalsy()).isTrue();
        assertThat(new ClientReady("").isFalsy()).isTrue();
        assertThat(new ClientReady("2.12.1").isFalsy()).isFalse();
        assertThat(new ClientReady(-1L).isFalsy()).isFalse();
        assertThat(new ClientReady(-1.0).isForeign()).isTrue();
        assertThat(new ClientReady(true).isForeign()).isFalse();
    }

    @Test
    void spawnRoundTripWithNullables() throws Exception {
        Spawn s = new Spawn(1795303797.9710932, new LinkedHashMap<>(orderedMapLong("A", 1L, "B", 0L)), null, null, Map.of());
        Message m = roundTrip(s.toMessage("w1"));
        assertThat(new ArrayList<Object>(((Map<?, ?>) m.data()).keySet()))
                .containsExactly("timestamp", "user_classes_count", "host", "stop_timeout", "parsed_options");
        assertThat(Spawn.fromMessage(m)).isEqualTo(s);
        assertThat(Spawn.fromMessage(new Message("spawn", orderedMap("stop_timeout", 5L), "w")).stopTimeout()).isEqualTo(5.0);
    }

    @Test
    void spawningCompleteBothForms() throws Exception {
        SpawningComplete w = SpawningComplete.ofWorker(orderedMapLong("A", 2L, "B", 1L));
        assertThat(w.userCount()).isEqualTo(3);
        assertThat(SpawningComplete.fromMessage(roundTrip(w.toMessage("n")))).isEqualTo(w);
        SpawningComplete b = SpawningComplete.broadcast(7);
        assertThat(new ArrayList<Object>(((Map<?, ?>) b.toMessage("n").data()).keySet())).containsExactly("user_count");
        assertThat(SpawningComplete.fromMessage(roundTrip(b.toMessage("n")))).isEqualTo(b);
    }

    @Test
    void locustfileReplyShapes() throws Exception {
        LocustfileReply legacy = LocustfileReply.fromMessage(new Message("locustfile",
                orderedMap("filename", "a.py", "contents", "x=1"), "t"));
        assertThat(legacy.locustfiles()).containsExactly(LocustfileReply.Locustfile.inline("a.py", "x=1"));
        LocustfileReply mixed = LocustfileReply.fromMessage(new Message("locustfile",
                orderedMap("locustfiles", List.of(orderedMap("filename", "b.py", "contents", "y"), "https://h/c.py")), "t"));
        assertThat(mixed.locustfiles()).containsExactly(LocustfileReply.Locustfile.inline("b.py", "y"),
                LocustfileReply.Locustfile.url("https://h/c.py"));
        assertThat(LocustfileReply.fromMessage(roundTrip(mixed.toMessage("t")))).isEqualTo(mixed);
        LocustfileReply err = LocustfileReply.fromMessage(new Message("locustfile", orderedMap("error", "nope"), "t"));
        assertThat(err.error()).isEqualTo("nope");
        assertThat(err.toMessage("t").data()).isEqualTo(Map.of("error", "nope"));
    }

    @Test
    void updateUserClassAndLogs() throws Exception {
        UpdateUserClass u = UpdateUserClass.fromMessage(new Message("update_user_class",
                orderedMap("user_class_name", "WebUser", "host", "http://x", "tasks", List.of("index")), "w"));
        assertThat(u.userClassName()).isEqualTo("WebUser");
        assertThat(u.attributes()).containsExactly(entry("host", "http://x"), entry("tasks", List.of("index")));
        assertThat(UpdateUserClass.fromMessage(roundTrip(u.toMessage("w")))).isEqualTo(u);
        assertThat(LocustMessage.fromMaster(new Message("update_user_class", null, "w"))).isInstanceOf(UpdateUserClass.class);

        Logs logs = Logs.fromMessage(new Message("logs", orderedMap("logs", List.of("a", 1L)), "w9"));
        assertThat(logs).isEqualTo(new Logs("w9", List.of("a", "1")));
    }

    @Test
    void directionDecidesTheTypedView() {
        Message hb = new Message("heartbeat", null, "w");
        assertThat(LocustMessage.fromMaster(hb)).isEqualTo(new HeartbeatReply());
        assertThat(LocustMessage.fromWorker(hb)).isEqualTo(new Heartbeat(null, 0.0, 0));
        // Built-in names of the other direction are custom messages, as in Locust.
        assertThat(LocustMessage.fromWorker(new Message("ack", Map.of(), "w"))).isInstanceOf(CustomTypeMessage.class);
        assertThat(LocustMessage.fromMaster(new Message("stats", Map.of(), "w"))).isInstanceOf(CustomTypeMessage.class);
    }

    private static Map<String, Long> orderedMapLong(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Long) kv[i + 1]);
        }
        return m;
    }
}
