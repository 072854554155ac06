package io.locusttelemetry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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

/** Random and damaged frames only ever produce CorruptMessageException, and quickly. */
class FuzzTest {

    private static final byte[][] NASTY_HEADERS = {
        HexFormat.of().parseHex("ddffffffff"), HexFormat.of().parseHex("dfffffffff"),
        HexFormat.of().parseHex("dbffffffff"), HexFormat.of().parseHex("c6ffffffff"),
        HexFormat.of().parseHex("dc7fff"), HexFormat.of().parseHex("c1"), HexFormat.of().parseHex("d401"),
        HexFormat.of().parseHex("cb"), HexFormat.of().parseHex("9f"), HexFormat.of().parseHex("ed a0 80".replace(" ", "")),
    };

    @Test
    void tenThousandMutatedFramesOnlyThrowCorruptMessageException() {
        Random rnd = new Random(0x10c057L);
        List<byte[]> seeds = new ArrayList<>();
        for (Vectors.Vector v : Vectors.all()) {
            seeds.add(v.bytes());
        }
        for (int i = 0; i < 50; i++) {
            seeds.add(MessageCodec.encode(new Message("t" + i, randomValue(rnd, 0), "node_" + i)));
        }
        int decoded = 0;
        int corrupt = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            byte[] frame = mutate(rnd, seeds.get(rnd.nextInt(seeds.size())), i);
            try {
                Message m = MessageCodec.decode(frame);
                decoded++;
                // Whatever decodes must be typed and re-encoded without trouble.
                LocustMessage.fromWorker(m).toMessage(m.nodeId());
                LocustMessage.fromMaster(m).toMessage(m.nodeId());
                MessageCodec.encode(m);
            } catch (CorruptMessageException e) {
                corrupt++;
                assertThat(e.getMessage()).isNotBlank();
            } catch (Throwable t) {
                fail("frame " + HexFormat.of().formatHex(frame) + " threw " + t, t);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(decoded + corrupt).isEqualTo(10_000);
        assertThat(corrupt).isGreaterThan(5_000);
        assertThat(decoded).isGreaterThan(100);
        assertThat(millis).as("10,000 frames").isLessThan(10_000);
    }

    private static byte[] mutate(Random rnd, byte[] seed, int i) {
        switch (i % 6) {
            case 0: { // truncation
                return Arrays.copyOf(seed, rnd.nextInt(seed.length + 1));
            }
            case 1: { // flipped bytes
                byte[] f = seed.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
                }
                return f;
            }
            case 2: { // pure garbage
                byte[] f = new byte[rnd.nextInt(64)];
                rnd.nextBytes(f);
                return f;
            }
            case 3: { // a hostile header spliced in
                byte[] h = NASTY_HEADERS[rnd.nextInt(NASTY_HEADERS.length)];
                int at = rnd.nextInt(seed.length + 1);
                byte[] f = new byte[seed.length + h.length];
                System.arraycopy(seed, 0, f, 0, at);
                System.arraycopy(h, 0, f, at, h.length);
                System.arraycopy(seed, at, f, at + h.length, seed.length - at);
                return f;
            }
            case 4: { // trailing or missing tail
                return rnd.nextBoolean() ? Arrays.copyOf(seed, seed.length + 1 + rnd.nextInt(3))
                        : Arrays.copyOf(seed, Math.max(0, seed.length - 1));
            }
            default: { // a random slice
                int from = rnd.nextInt(seed.length);
                return Arrays.copyOfRange(seed, from, from + rnd.nextInt(seed.length - from + 1));
            }
        }
    }

    @Test
    void randomValuesRoundTripAndMatchAnIndependentEncoder() throws Exception {
        Random rnd = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            Object v = randomValue(rnd, 0);
            byte[] ours = MessageCodec.encodeValue(v);
            assertThat(ours).as("value %s", v).isEqualTo(reference(v));
            Object back = MessageCodec.decodeValue(ours);
            assertThat(MessageCodec.encodeValue(back)).isEqualTo(ours);
        }
    }

    /** msgpack-core's packer, which chooses the same formats as msgpack-python. */
    private static byte[] reference(Object v) throws Exception {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            pack(p, v);
            return p.toByteArray();
        }
    }

    private static void pack(MessageBufferPacker p, Object v) throws Exception {
        if (v == null) {
            p.packNil();
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof Long l) {
            p.packLong(l);
        } else if (v instanceof Double d) {
            p.packDouble(d);
        } else if (v instanceof Float f) {
            p.packFloat(f);
        } else if (v instanceof String s) {
            p.packString(s);
        } else if (v instanceof byte[] b) {
            p.packBinaryHeader(b.length);
            p.writePayload(b);
        } else if (v instanceof List<?> l) {
            p.packArrayHeader(l.size());
            for (Object o : l) {
                pack(p, o);
            }
        } else if (v instanceof Map<?, ?> m) {
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pack(p, e.getKey());
                pack(p, e.getValue());
            }
        } else {
            throw new AssertionError(v.getClass());
        }
    }

    static Object randomValue(Random rnd, int depth) {
        int kind = rnd.nextInt(depth > 3 ? 8 : 10);
        switch (kind) {
            case 0:
                return null;
            case 1:
                return rnd.nextBoolean();
            case 2: {
                long[] edges = {0, 127, 128, 255, 256, 65535, 65536, -1, -32, -33, -128, -129, -32768, -32769,
                    4294967295L, 4294967296L, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE};
                return rnd.nextBoolean() ? edges[rnd.nextInt(edges.length)] : rnd.nextLong() >> rnd.nextInt(64);
            }
            case 3:
                return rnd.nextDouble() * 1e6;
            case 4:
                return rnd.nextFloat();
            case 5:
            case 6: {
                int len = rnd.nextInt(4) == 0 ? rnd.nextInt(300) : rnd.nextInt(20);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < len; i++) {
                    int r = rnd.nextInt(10);
                    sb.appendCodePoint(r < 7 ? 'a' + rnd.nextInt(26) : r < 9 ? 0xa0 + rnd.nextInt(0x700) : 0x1f600 + rnd.nextInt(40));
                }
                return sb.toString();
            }
            case 7: {
                byte[] b = new byte[rnd.nextInt(40)];
                rnd.nextBytes(b);
                return b;
            }
            case 8: {
                int n = rnd.nextInt(4) == 0 ? rnd.nextInt(40) : rnd.nextInt(5);
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    l.add(randomValue(rnd, depth + 1));
                }
                return l;
            }
            default: {
                int n = rnd.nextInt(4) == 0 ? rnd.nextInt(40) : rnd.nextInt(5);
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object key = switch (rnd.nextInt(3)) {
                        case 0 -> "k" + rnd.nextInt(1000);
                        case 1 -> (long) rnd.nextInt(2000) - 100;
                        default -> (double) rnd.nextInt(2000);
                    };
                    m.put(key, randomValue(rnd, depth + 1));
                }
                return m;
            }
        }
    }
}
