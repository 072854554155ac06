package io.locusttelemetry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.locusttelemetry.protocol.Vectors.Vector;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every captured frame decodes to what index.json describes and re-encodes byte for byte. */
class VectorDecodeTest {

    private static final Set<String> INT_FAMILIES = Set.of("positive fixint", "negative fixint", "uint8", "uint16",
            "uint32", "uint64", "int8", "int16", "int32", "int64");
    private static final Set<String> STR_FAMILIES = Set.of("fixstr", "str8", "str16", "str32");
    private static final Set<String> BIN_FAMILIES = Set.of("bin8", "bin16", "bin32");
    private static final Set<String> ARRAY_FAMILIES = Set.of("fixarray", "array16", "array32");
    private static final Set<String> MAP_FAMILIES = Set.of("fixmap", "map16", "map32");

    @Test
    void indexCoversEveryFileOnDisk() {
        for (String version : List.of(Vectors.V2_12_1, Vectors.V2_46_3)) {
            List<String> indexed = Vectors.load(version).stream().map(Vector::file).sorted().toList();
            assertThat(indexed).as(version).isEqualTo(Vectors.filesOnDisk(version));
        }
        assertThat(Vectors.all()).hasSize(52);
    }

    @TestFactory
    Stream<DynamicTest> decodesLikeIndexAndReencodesIdentically() {
        return Vectors.all().stream().map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
            assertThat(v.bytes()).hasSize(v.entry().get("size_bytes").asInt());
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v.bytes())))
                    .isEqualTo(v.entry().get("sha256").asText());
            assertThat(HexFormat.of().formatHex(v.bytes())).isEqualTo(v.entry().get("hex").asText());

            Message m = v.decode();
            JsonNode decoded = v.entry().get("decoded");
            JsonNode types = v.entry().get("msgpack_types");
            assertThat(types.get("msgpack").asText()).isEqualTo("fixarray");
            List<Object> triple = new ArrayList<>();
            triple.add(m.type());
            triple.add(m.data());
            triple.add(m.nodeId());
            assertMatches(triple, decoded, types, "$");
            assertThat(m.type()).isEqualTo(v.type());

            assertThat(HexFormat.of().formatHex(MessageCodec.encode(m))).as("generic re-encode")
                    .isEqualTo(HexFormat.of().formatHex(v.bytes()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> typedViewMatchesType() {
        return Vectors.all().stream().map(v -> DynamicTest.dynamicTest(v.toString(), () -> {
            Message m = v.decode();
            LocustMessage typed = v.fromWorker() ? LocustMessage.fromWorker(m) : LocustMessage.fromMaster(m);
            assertThat(typed.type()).isEqualTo(m.type());
            Class<?> expected = expectedClass(v);
            assertThat(typed).isInstanceOf(expected);
            // Typed values must be encodable whatever they came from.
            assertThat(MessageCodec.encode(typed.toMessage(m.nodeId()))).isNotEmpty();
        }));
    }

    private static Class<?> expectedClass(Vector v) {
        Map<String, Class<?>> worker = Map.of("client_ready", ClientReady.class, "heartbeat", Heartbeat.class,
                "stats", Stats.class, "spawning", Spawning.class, "spawning_complete", SpawningComplete.class,
                "client_stopped", ClientStopped.class, "quit", Quit.class, "exception", ExceptionReport.class,
                "logs", Logs.class, "locustfile", LocustfileRequest.class);
        Map<String, Class<?>> master = Map.of("ack", Ack.class, "spawn", Spawn.class, "stop", Stop.class,
                "quit", Quit.class, "reconnect", Reconnect.class, "heartbeat", HeartbeatReply.class,
                "spawning_complete", SpawningComplete.class, "locustfile", LocustfileReply.class);
        return (v.fromWorker() ? worker : master).getOrDefault(v.type(), CustomTypeMessage.class);
    }

    /** Compares a decoded value with the index's JSON rendering and its exact msgpack families. */
    static void assertMatches(Object actual, JsonNode json, JsonNode types, String path) {
        if (types.isTextual()) {
            assertScalar(actual, json, types.asText(), path);
            return;
        }
        String family = types.get("msgpack").asText();
        if (ARRAY_FAMILIES.contains(family)) {
            assertThat(actual).as(path).isInstanceOf(List.class);
            List<?> list = (List<?>) actual;
            JsonNode items = types.get("items");
            assertThat(list).as(path).hasSize(items.size());
            assertThat(json.isArray()).as(path).isTrue();
            assertThat(json.size()).as(path).isEqualTo(list.size());
            for (int i = 0; i < list.size(); i++) {
                assertMatches(list.get(i), json.get(i), items.get(i), path + "[" + i + "]");
            }
        } else if (MAP_FAMILIES.contains(family)) {
            assertThat(actual).as(path).isInstanceOf(Map.class);
            Map<?, ?> map = (Map<?, ?>) actual;
            JsonNode entries = types.get("entries");
            assertThat(map).as(path).hasSize(entries.size());
            assertThat(json.size()).as(path).isEqualTo(map.size());
            Iterator<Map.Entry<?, ?>> it = new ArrayList<Map.Entry<?, ?>>(map.entrySet()).iterator();
            Iterator<String> jsonNames = json.fieldNames();
            for (Iterator<Map.Entry<String, JsonNode>> te = entries.properties().iterator(); te.hasNext(); ) {
                Map.Entry<String, JsonNode> t = te.next();
                Map.Entry<?, ?> e = it.next();
                int colon = t.getKey().indexOf(':');
                String keyFamily = t.getKey().substring(0, colon);
                String keyText = t.getKey().substring(colon + 1);
                assertThat(jsonNames.next()).as(path + " key order").isEqualTo(keyText);
                String keyPath = path + "{" + keyText + "}";
                assertKey(e.getKey(), keyFamily, keyText, keyPath);
                assertMatches(e.getValue(), json.get(keyText), t.getValue(), keyPath);
            }
        } else {
            fail("unknown container family " + family + " at " + path);
        }
    }

    private static void assertKey(Object key, String family, String text, String path) {
        if (INT_FAMILIES.contains(family)) {
            assertThat(key).as(path).isInstanceOf(Long.class).isEqualTo(Long.parseLong(text));
        } else if (family.equals("float64")) {
            assertThat(key).as(path).isInstanceOf(Double.class).isEqualTo(Double.parseDouble(text));
        } else if (STR_FAMILIES.contains(family)) {
            assertThat(key).as(path).isEqualTo(text);
        } else {
            fail("unexpected key family " + family + " at " + path);
        }
    }

    private static void assertScalar(Object actual, JsonNode json, String family, String path) {
        if (family.equals("nil")) {
            assertThat(actual).as(path).isNull();
            assertThat(json.isNull()).as(path).isTrue();
        } else if (family.equals("true") || family.equals("false")) {
            assertThat(actual).as(path).isEqualTo(Boolean.valueOf(family));
            assertThat(json.asBoolean()).as(path).isEqualTo(Boolean.valueOf(family));
        } else if (INT_FAMILIES.contains(family)) {
            assertThat(json.isIntegralNumber()).as(path).isTrue();
            if (actual instanceof BigInteger b) {
                assertThat(b).as(path).isEqualTo(json.bigIntegerValue());
            } else {
                assertThat(actual).as(path).isInstanceOf(Long.class).isEqualTo(json.longValue());
            }
        } else if (family.equals("float64")) {
            assertThat(actual).as(path).isInstanceOf(Double.class).isEqualTo(json.doubleValue());
        } else if (family.equals("float32")) {
            assertThat(actual).as(path).isInstanceOf(Float.class).isEqualTo(json.floatValue());
        } else if (STR_FAMILIES.contains(family)) {
            assertThat(actual).as(path).isInstanceOf(String.class).isEqualTo(json.asText());
        } else if (BIN_FAMILIES.contains(family)) {
            assertThat(actual).as(path).isInstanceOf(byte[].class);
            assertThat(HexFormat.of().formatHex((byte[]) actual)).as(path).isEqualTo(json.get("$bytes_hex").asText());
        } else {
            fail("unexpected family " + family + " at " + path);
        }
    }
}
