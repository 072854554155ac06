package io.locusttelemetry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.locusttelemetry.protocol.internal.Values;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Maps whose keys and values are integers (a report's histograms) are decoded without boxing into
 * a compact map: hostile frames must decode exactly as an independent decoder reads them, with a
 * Python dict's rules for repeated keys, or be refused with {@link CorruptMessageException}.
 */
class IntegerMapDecodeTest {

    @Test
    void randomIntegerMapsDecodeAsAnIndependentDecoderReadsThem() throws Exception {
        Random rnd = new Random(0x4157L);
        for (int i = 0; i < 3_000; i++) {
            byte[] frame = randomMap(rnd, 0);
            Object ours = MessageCodec.decodeValue(frame);
            Object theirs = reference(frame);
            assertThat(ours).as("frame %s", HexFormat.of().formatHex(frame)).isEqualTo(theirs);
            assertThat(order(ours)).isEqualTo(order(theirs));
            // and what was decoded encodes back to a frame that decodes to the same
            assertThat(MessageCodec.decodeValue(MessageCodec.encodeValue(ours))).isEqualTo(theirs);
        }
    }

    @Test
    void damagedIntegerMapsOnlyThrowCorruptMessageException() throws Exception {
        Random rnd = new Random(0xdeadL);
        int corrupt = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] seed = randomMap(rnd, 0);
            byte[] frame = switch (i % 4) {
                case 0 -> Arrays.copyOf(seed, rnd.nextInt(seed.length));
                case 1 -> {
                    byte[] f = seed.clone();
                    for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                        f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
                    }
                    yield f;
                }
                case 2 -> { // a count header that lies
                    yield concat(new byte[] {(byte) 0xdf, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, Arrays.copyOfRange(seed, 1, seed.length));
                }
                default -> concat(seed, new byte[] {(byte) 0xcf, 1, 2}); // a truncated uint64 after the map
            };
            try {
                Object v = MessageCodec.decodeValue(frame);
                Object theirs = comparable(frame);
                if (theirs != NOT_COMPARABLE) {
                    assertThat(v).as("frame %s", HexFormat.of().formatHex(frame)).isEqualTo(theirs);
                }
            } catch (CorruptMessageException e) {
                corrupt++;
                assertThat(e.getMessage()).isNotBlank();
            } catch (Throwable t) {
                fail("frame " + HexFormat.of().formatHex(frame) + " threw " + t, t);
            }
        }
        assertThat(corrupt).isGreaterThan(4_000);
    }

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndItsLastValue() throws Exception {
        // {1: 10, 2: 20, 1: 30}, and the same past the size where the map indexes its keys
        Map<?, ?> small = (Map<?, ?>) MessageCodec.decodeValue(hex("83 01 0a 02 14 01 1e"));
        assertThat(new ArrayList<Object>(small.keySet())).containsExactly(1L, 2L);
        assertThat(small.get(1L)).isEqualTo(30L);
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(40);
            for (int i = 0; i < 40; i++) {
                p.packLong(i % 20);
                p.packLong(i);
            }
            Map<?, ?> big = (Map<?, ?>) MessageCodec.decodeValue(p.toByteArray());
            assertThat(big).hasSize(20);
            assertThat(big.get(5L)).isEqualTo(25L);
            assertThat(new ArrayList<Object>(big.keySet()).subList(0, 3)).containsExactly(0L, 1L, 2L);
        }
    }

    @Test
    void aMapTurnsGenericWhereAValueIsNoIntegerAndKeepsWhatCameBefore() throws Exception {
        // {1: 2, 3: "x", 4: 5}, {1: 2, 2.5: 3}, {1: 2, 3: [4]}, {1: uint64 max}
        assertThat(MessageCodec.decodeValue(hex("83 01 02 03 a178 04 05"))).isEqualTo(ordered(1L, 2L, 3L, "x", 4L, 5L));
        assertThat(MessageCodec.decodeValue(hex("82 01 02 cb4004000000000000 03"))).isEqualTo(ordered(1L, 2L, 2.5, 3L));
        assertThat(MessageCodec.decodeValue(hex("82 01 02 03 9104"))).isEqualTo(ordered(1L, 2L, 3L, List.of(4L)));
        assertThat(MessageCodec.decodeValue(hex("81 01 cfffffffffffffffff")))
                .isEqualTo(ordered(1L, new BigInteger("18446744073709551615")));
        assertThatThrownBy(() -> MessageCodec.decodeValue(hex("82 01 02 9101 03")))
                .isInstanceOf(CorruptMessageException.class).hasMessageContaining("map key is a container");
    }

    @Test
    void aHistogramOfKeysChosenToCollideDecodesQuickly() throws Exception {
        // keys whose Long.hashCode is 0, and keys that differ only in their high bits
        int n = 200_000;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(2 * n);
            for (long i = 0; i < n; i++) {
                p.packLong((i << 32) | i);
                p.packLong(1);
            }
            for (long i = 0; i < n; i++) {
                p.packLong(i << 44);
                p.packLong(1);
            }
            byte[] frame = p.toByteArray();
            long start = System.nanoTime();
            Map<?, ?> m = (Map<?, ?>) MessageCodec.decodeValue(frame);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(m).hasSize(2 * n - 1); // 0 is in both halves
            assertThat(millis).as("decoding 400,000 chosen keys").isLessThan(5_000);
        }
    }

    @Test
    void theStatsViewTakesTheDecodedHistogramAsItIs() throws Exception {
        Map<?, ?> decoded = (Map<?, ?>) MessageCodec.decodeValue(hex("83 0a 01 14 02 1e 03"));
        Map<Long, Long> counts = Values.longCounts(decoded);
        assertThat(counts).isSameAs(decoded).isEqualTo(ordered(10L, 1L, 20L, 2L, 30L, 3L));
        assertThatThrownBy(() -> ((Map<Long, Long>) counts).put(40L, 4L)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Values.frozen(counts)).isSameAs(counts);
    }

    // ---- frames ----------------------------------------------------------------------------------

    /** A map of mostly integers at every width, repeated keys, and now and then a value of another kind. */
    private static byte[] randomMap(Random rnd, int depth) throws Exception {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            packMap(p, rnd, depth);
            return p.toByteArray();
        }
    }

    private static void packMap(MessageBufferPacker p, Random rnd, int depth) throws Exception {
        int n = rnd.nextInt(8) == 0 ? rnd.nextInt(300) : rnd.nextInt(12);
        p.packMapHeader(n);
        long[] seen = new long[Math.max(1, n)];
        // a jlocust worker's keys ascend (the decoder then skips the look-up until one does not)
        boolean ascending = rnd.nextInt(3) == 0;
        long next = rnd.nextInt(100) - 50;
        for (int i = 0; i < n; i++) {
            long key = i > 0 && rnd.nextInt(ascending ? 30 : 6) == 0 ? seen[rnd.nextInt(i)]
                    : ascending ? (next += 1 + rnd.nextInt(20)) : randomLong(rnd);
            seen[i] = key;
            int keyKind = rnd.nextInt(40);
            if (keyKind == 0) {
                p.packDouble(key); // 150.0 is its own key in a generic map
            } else if (keyKind == 1) {
                p.packString("k" + key);
            } else {
                packInteger(p, rnd, key);
            }
            int valueKind = rnd.nextInt(60);
            if (valueKind == 0) {
                p.packString("v");
            } else if (valueKind == 1) {
                p.packNil();
            } else if (valueKind == 2) {
                p.packDouble(rnd.nextDouble());
            } else if (valueKind == 3 && depth < 3) {
                packMap(p, rnd, depth + 1);
            } else if (valueKind == 4) {
                p.packBigInteger(BigInteger.ONE.shiftLeft(63).add(BigInteger.valueOf(rnd.nextInt(1000))));
            } else {
                packInteger(p, rnd, randomLong(rnd));
            }
        }
    }

    private static long randomLong(Random rnd) {
        long[] edges = {0, 1, 127, 128, 255, 256, 65535, 65536, -1, -32, -33, -128, -129, -32768, -32769,
            4294967295L, 4294967296L, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE};
        int r = rnd.nextInt(4);
        return r == 0 ? edges[rnd.nextInt(edges.length)] : r == 1 ? rnd.nextLong() >> rnd.nextInt(64) : rnd.nextInt(2000);
    }

    /** An integer in the smallest format, or now and then a wider one than it needs, as other encoders write. */
    private static void packInteger(MessageBufferPacker p, Random rnd, long v) throws Exception {
        int wide = rnd.nextInt(10);
        if (wide == 0 && v >= 0) {
            p.writePayload(concat(new byte[] {(byte) 0xcf}, bigEndian(v, 8)));
        } else if (wide == 1) {
            p.writePayload(concat(new byte[] {(byte) 0xd3}, bigEndian(v, 8)));
        } else if (wide == 2 && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            p.writePayload(concat(new byte[] {(byte) 0xd2}, bigEndian(v, 4)));
        } else if (wide == 3 && v >= 0 && v <= 0xffffffffL) {
            p.writePayload(concat(new byte[] {(byte) 0xce}, bigEndian(v, 4)));
        } else {
            p.packLong(v);
        }
    }

    private static byte[] bigEndian(long v, int width) {
        byte[] b = new byte[width];
        for (int i = width - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    private static final Object NOT_COMPARABLE = new Object();

    /** The reference reading of a frame this decoder accepted, unless it holds what the reference reads otherwise (bin, bool, arrays). */
    private static Object comparable(byte[] frame) {
        try {
            return reference(frame);
        } catch (Exception | AssertionError e) {
            return NOT_COMPARABLE;
        }
    }

    /** msgpack-core's reading of a frame, with a Python dict's rules for a repeated key. */
    private static Object reference(byte[] frame) throws Exception {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(frame)) {
            Object v = read(u);
            if (u.hasNext()) {
                throw new CorruptMessageException("trailing bytes");
            }
            return v;
        }
    }

    private static Object read(MessageUnpacker u) throws Exception {
        ValueType t = u.getNextFormat().getValueType();
        switch (t) {
            case NIL -> {
                u.unpackNil();
                return null;
            }
            case INTEGER -> {
                BigInteger b = u.unpackBigInteger();
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            case FLOAT -> {
                return u.getNextFormat() == org.msgpack.core.MessageFormat.FLOAT32 ? (Object) u.unpackFloat() : u.unpackDouble();
            }
            case STRING -> {
                return u.unpackString();
            }
            case MAP -> {
                int n = u.unpackMapHeader();
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = read(u);
                    m.put(k, read(u));
                }
                return m;
            }
            default -> throw new AssertionError(t);
        }
    }

    private static List<Object> order(Object v) {
        List<Object> keys = new ArrayList<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                keys.add(k);
                keys.add(order(x));
            });
        }
        return keys;
    }

    private static Map<Object, Object> ordered(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
