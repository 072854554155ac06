package io.locusttelemetry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    private static String hex(Object value) {
        return HEX.formatHex(MessageCodec.encodeValue(value));
    }

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, 00",
        "1, 01",
        "127, 7f",
        "128, cc80",
        "255, ccff",
        "256, cd0100",
        "65535, cdffff",
        "65536, ce00010000",
        "4294967295, ceffffffff",
        "4294967296, cf0000000100000000",
        "9223372036854775807, cf7fffffffffffffff",
        "-1, ff",
        "-32, e0",
        "-33, d0df",
        "-128, d080",
        "-129, d1ff7f",
        "-32768, d18000",
        "-32769, d2ffff7fff",
        "-2147483648, d280000000",
        "-2147483649, d3ffffffff7fffffff",
        "-9223372036854775808, d38000000000000000",
    })
    void integersUseTheSmallestEncodingLikeMsgpackPython(long value, String expected) throws Exception {
        assertThat(hex(value)).isEqualTo(expected);
        assertThat(MessageCodec.decodeValue(bytes(expected))).isEqualTo(value);
        assertThat(hex((Object) Long.valueOf(value))).isEqualTo(expected);
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            assertThat(hex((int) value)).isEqualTo(expected);
        }
    }

    @Test
    void uint64AboveLongMaxDecodesAsBigIntegerAndRoundTrips() throws Exception {
        BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertThat(MessageCodec.decodeValue(bytes("cfffffffffffffffff"))).isEqualTo(max);
        assertThat(MessageCodec.decodeValue(bytes("cf8000000000000000"))).isEqualTo(BigInteger.ONE.shiftLeft(63));
        assertThat(hex(max)).isEqualTo("cfffffffffffffffff");
        assertThat(hex(BigInteger.valueOf(-5))).isEqualTo("fb");
        assertThatThrownBy(() -> MessageCodec.encodeValue(BigInteger.ONE.shiftLeft(64)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encodeValue(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyIntegerWidthDecodes() throws Exception {
        assertThat(MessageCodec.decodeValue(bytes("d30000000000000005"))).isEqualTo(5L);
        assertThat(MessageCodec.decodeValue(bytes("d2fffffffb"))).isEqualTo(-5L);
        assertThat(MessageCodec.decodeValue(bytes("d1fffb"))).isEqualTo(-5L);
        assertThat(MessageCodec.decodeValue(bytes("d005"))).isEqualTo(5L);
        assertThat(MessageCodec.decodeValue(bytes("cf0000000000000005"))).isEqualTo(5L);
        assertThat(MessageCodec.decodeValue(bytes("ce00000005"))).isEqualTo(5L);
        assertThat(MessageCodec.decodeValue(bytes("cd0005"))).isEqualTo(5L);
        assertThat(MessageCodec.decodeValue(bytes("cc05"))).isEqualTo(5L);
    }

    @Test
    void floats() throws Exception {
        assertThat(hex(1.5)).isEqualTo("cb3ff8000000000000");
        assertThat(hex(0.0)).isEqualTo("cb0000000000000000");
        assertThat(hex(1.5f)).isEqualTo("ca3fc00000");
        assertThat(MessageCodec.decodeValue(bytes("ca3fc00000"))).isEqualTo(1.5f);
        assertThat(MessageCodec.decodeValue(bytes("cb3ff8000000000000"))).isEqualTo(1.5);
        // float32 is remembered so a relayed frame stays byte-identical.
        byte[] frame = bytes("93 a1 61 ca 3fc00000 a1 62");
        assertThat(MessageCodec.encode(MessageCodec.decode(frame))).isEqualTo(frame);
    }

    @Test
    void scalarsAndBinary() throws Exception {
        assertThat(hex((Object) null)).isEqualTo("c0");
        assertThat(hex(true)).isEqualTo("c3");
        assertThat(hex(false)).isEqualTo("c2");
        assertThat(hex(new byte[0])).isEqualTo("c400");
        assertThat(hex(new byte[] {1, 2})).isEqualTo("c4020102");
        assertThat(hex(new byte[256])).startsWith("c50100");
        assertThat(hex(new byte[65536])).startsWith("c600010000");
        assertThat((byte[]) MessageCodec.decodeValue(bytes("c4020102"))).containsExactly(1, 2);
    }

    @Test
    void textIsAlwaysStrWithSmallestHeader() throws Exception {
        assertThat(hex("")).isEqualTo("a0");
        assertThat(hex("a".repeat(31))).startsWith("bf");
        assertThat(hex("a".repeat(32))).startsWith("d920");
        assertThat(hex("a".repeat(255))).startsWith("d9ff");
        assertThat(hex("a".repeat(256))).startsWith("da0100");
        assertThat(hex("a".repeat(65535))).startsWith("daffff");
        assertThat(hex("a".repeat(65536))).startsWith("db00010000");
        // The header counts UTF-8 bytes, not chars: 16 x 'é' is 32 bytes.
        assertThat(hex("é".repeat(16))).startsWith("d920");
        assertThat(MessageCodec.decodeValue(MessageCodec.encodeValue("路径 😀"))).isEqualTo("路径 😀");
        assertThat(hex(new StringBuilder("ab"))).isEqualTo("a26162");
    }

    @Test
    void containerHeaders() throws Exception {
        assertThat(hex(List.of())).isEqualTo("90");
        assertThat(hex(nCopies(15))).startsWith("9f");
        assertThat(hex(nCopies(16))).startsWith("dc0010");
        assertThat(hex(nCopies(65536))).startsWith("dd00010000");
        assertThat(hex(Map.of())).isEqualTo("80");
        assertThat(hex(mapOf(15))).startsWith("8f");
        assertThat(hex(mapOf(16))).startsWith("de0010");
        assertThat(hex(mapOf(65536))).startsWith("df00010000");
        assertThat(hex(new Object[] {1, "a"})).isEqualTo("9201a161");
        assertThat(MessageCodec.decodeValue(MessageCodec.encodeValue(mapOf(70000)))).isEqualTo(mapOf(70000));
    }

    @Test
    void mapsKeepOrderAndNonStringKeys() throws Exception {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(6L, 1L);
        m.put(150.0, 4L);
        m.put("x", null);
        m.put(true, List.of(1L, "two"));
        m.put(-3L, 2.5);
        byte[] encoded = MessageCodec.encodeValue(m);
        Object back = MessageCodec.decodeValue(encoded);
        assertThat(back).isInstanceOf(LinkedHashMap.class).isEqualTo(m);
        assertThat(new ArrayList<Object>(((Map<?, ?>) back).keySet())).containsExactly(6L, 150.0, "x", true, -3L);
        // A repeated key keeps its first position and its last value, as in a Python dict.
        assertThat(MessageCodec.decodeValue(bytes("83 a161 01 a162 02 a161 03"))).isEqualTo(orderedMap("a", 3L, "b", 2L));
        assertThat(new ArrayList<Object>(((Map<?, ?>) MessageCodec.decodeValue(bytes("83 a161 01 a162 02 a161 03"))).keySet()))
                .containsExactly("a", "b");
    }

    @Test
    void dateTimesUseLatestLocustMapForm() throws Exception {
        LocalDateTime t = LocalDateTime.of(2024, 1, 5, 13, 45, 12, 123_456_789);
        Map<?, ?> expected = orderedMap("__datetime__", true, "as_str", "20240105T13:45:12.123456");
        assertThat(MessageCodec.decodeValue(MessageCodec.encodeValue(t))).isEqualTo(expected);
        assertThat(MessageCodec.decodeValue(MessageCodec.encodeValue(Instant.parse("2024-01-05T13:45:12.123456Z"))))
                .isEqualTo(expected);
        assertThat(MessageCodec.decodeValue(MessageCodec.encodeValue(LocalDateTime.of(2024, 1, 5, 0, 0))))
                .isEqualTo(orderedMap("__datetime__", true, "as_str", "20240105T00:00:00.000000"));
        assertThat(LocustDateTime.toWire(LocalDateTime.of(2024, 1, 5, 13, 45, 12, 123_456_000))).isEqualTo(expected);
        assertThat(LocustDateTime.fromWire(Map.of("a", 1))).isEmpty();
        assertThat(LocustDateTime.fromWire(orderedMap("__datetime__", true, "as_str", "garbage"))).isEmpty();
    }

    @Test
    void unsupportedValuesAreRejectedOnEncode() {
        assertThatThrownBy(() -> MessageCodec.encodeValue(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThatThrownBy(() -> MessageCodec.encodeValue(cyclic)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encode(new Message("x", new Object(), "n")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageEnvelope() throws Exception {
        Message m = new Message("ack", orderedMap("index", 0L), "vm_1");
        assertThat(HEX.formatHex(MessageCodec.encode(m))).isEqualTo("93a361636b81a5696e64657800a4766d5f31");
        assertThat(MessageCodec.decode(MessageCodec.encode(m))).isEqualTo(m);
        assertThat(MessageCodec.decode(bytes("dc0003 a161 c0 a162"))).isEqualTo(new Message("a", null, "b"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "''                                  | empty frame",
        "c1                                  | reserved byte",
        "93 a1 61 c1 a1 62                   | reserved byte inside",
        "93 a1 61 c0                         | truncated envelope",
        "93 a1 61 cb 3ff0 a1 62              | truncated float",
        "93 a1 61 a5 6162 a1 62              | truncated string",
        "93 a1 61 c0 a1 62 00                | trailing byte",
        "93 a1 61 c0 a1 62 93                | trailing header",
        "a3 61 63 6b                         | not an array",
        "81 a1 61 01                         | map body",
        "92 a1 61 c0                         | two elements",
        "94 a1 61 c0 a1 62 c0                | four elements",
        "90                                  | empty array",
        "93 01 c0 a1 62                      | int type",
        "93 c4 01 61 c0 a1 62                | bin type",
        "93 a1 61 c0 c0                      | nil node id",
        "93 a1 61 c0 c4 01 62                | bin node id",
        "93 a1 ff c0 a1 62                   | invalid utf-8 type",
        "93 a1 61 a2 c080 a1 62              | overlong utf-8",
        "93 a1 61 a3 eda080 a1 62            | utf-8 surrogate",
        "93 a1 61 a4 f4908080 a1 62          | utf-8 beyond U+10FFFF",
        "93 a1 61 a1 62 a1 80                | invalid utf-8 node id",
        "93 a1 61 d4 01 00 a1 62             | fixext",
        "93 a1 61 c7 01 05 00 a1 62          | ext8",
        "93 a1 61 d6 ff 00000000 a1 62       | timestamp ext",
        "93 a1 61 81 90 01 a1 62             | array key",
        "93 a1 61 81 80 01 a1 62             | map key",
        "dd ffffffff 00 00 00 00 00          | array32 of 4 billion in 10 bytes",
        "93 a1 61 dd ffffffff a1 62          | inner array32 of 4 billion",
        "93 a1 61 df ffffffff a1 62          | map32 of 4 billion",
        "93 a1 61 db ffffffff a1 62          | str32 of 4 GB",
        "93 a1 61 c6 ffffffff a1 62          | bin32 of 4 GB",
        "93 a1 61 de 8000 00 a1 62           | map16 too long",
    })
    void malformedFramesThrowCorruptMessageException(String hex, String what) {
        byte[] frame = bytes(hex);
        long start = System.nanoTime();
        assertThatThrownBy(() -> MessageCodec.decode(frame)).as(what).isInstanceOf(CorruptMessageException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        assertThat(System.nanoTime() - start).as("fails fast").isLessThan(1_000_000_000L);
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        byte[] frame = new byte[200_000];
        Arrays.fill(frame, (byte) 0x91);
        assertThatThrownBy(() -> MessageCodec.decode(frame)).isInstanceOf(CorruptMessageException.class);
        byte[] inner = new byte[200_006];
        inner[0] = (byte) 0x93;
        inner[1] = (byte) 0xa1;
        inner[2] = 'a';
        Arrays.fill(inner, 3, inner.length - 3, (byte) 0x91);
        assertThatThrownBy(() -> MessageCodec.decode(inner)).isInstanceOf(CorruptMessageException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void nestingUpToTheLimitIsFine() throws Exception {
        Object v = "leaf";
        for (int i = 0; i < io.locusttelemetry.protocol.internal.MsgpackReader.MAX_DEPTH; i++) {
            v = List.of(v);
        }
        assertThat(MessageCodec.decodeValue(MessageCodec.encodeValue(v))).isEqualTo(v);
    }

    private static List<Object> nCopies(int n) {
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add((long) i % 100);
        }
        return l;
    }

    private static Map<Object, Object> mapOf(int n) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (long i = 0; i < n; i++) {
            m.put(i, i % 7);
        }
        return m;
    }

    static Map<Object, Object> orderedMap(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
