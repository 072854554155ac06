package io.locusttelemetry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.locusttelemetry.protocol.internal.MsgpackReader;
import io.locusttelemetry.testing.NestedFrames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The decoder's bounds: nesting, element count, frame size, declared lengths; none depends on the stack or the JIT. */
class DecoderBoundsTest {

    static byte[] nested(String type, int depth, boolean maps) {
        return NestedFrames.of(type, depth, maps, "n");
    }

    /** Runs {@code task} on a thread with a 64 KB stack: a recursive decoder overflows it within a few hundred levels. */
    private static Object onSmallStack(java.util.concurrent.Callable<Object> task) throws Exception {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread t = new Thread(null, () -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.complete(e);
            }
        }, "small-stack", 64 * 1024);
        t.start();
        return result.get(30, TimeUnit.SECONDS);
    }

    @Test
    void twoHundredThousandLevelsAreRefusedOnATinyStack() throws Exception {
        for (boolean maps : new boolean[] {false, true}) {
            byte[] frame = nested("stats", 200_000, maps);
            Object outcome = onSmallStack(() -> MessageCodec.decode(frame));
            assertThat(outcome).isInstanceOf(CorruptMessageException.class);
            assertThat(((Exception) outcome).getMessage()).contains("nested deeper than " + MsgpackReader.MAX_DEPTH);
        }
    }

    @Test
    void theDeepestAcceptedMessageDecodesOnATinyStack() throws Exception {
        // the envelope is one level, so data may nest MAX_DEPTH - 1 containers
        byte[] deepest = nested("custom", MsgpackReader.MAX_DEPTH - 1, true);
        Object outcome = onSmallStack(() -> MessageCodec.decode(deepest));
        assertThat(outcome).isInstanceOf(Message.class);
        byte[] tooDeep = nested("custom", MsgpackReader.MAX_DEPTH, true);
        assertThatThrownBy(() -> MessageCodec.decode(tooDeep)).isInstanceOf(CorruptMessageException.class)
                .hasMessageContaining("nested deeper");
    }

    @Test
    void encodingRefusesWhatDecodingWouldRefuse() {
        Object v = null;
        for (int i = 0; i < MsgpackReader.MAX_DEPTH - 1; i++) {
            v = List.of(v == null ? "leaf" : v);
        }
        Object deepest = v;
        MessageCodec.encode(new Message("custom", deepest, "n"));
        assertThatThrownBy(() -> MessageCodec.encode(new Message("custom", List.of(deepest), "n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper");
    }

    /** Random trees: whatever the shape, a tree within the limit round-trips and a deeper one is refused, never anything else. */
    @Test
    void randomTreesEitherRoundTripOrAreRefusedByDepth() throws Exception {
        Random rnd = new Random(64);
        for (int i = 0; i < 2_000; i++) {
            int depth = rnd.nextInt(MsgpackReader.MAX_DEPTH + 20);
            Object tree = tree(rnd, depth);
            byte[] bytes = new io.locusttelemetry.protocol.internal.MsgpackWriterProbe().unchecked(tree);
            Object outcome = onCurrent(() -> MessageCodec.decodeValue(bytes));
            if (depth <= MsgpackReader.MAX_DEPTH) {
                assertThat(outcome).as("depth %d", depth).isEqualTo(tree);
            } else {
                assertThat(outcome).as("depth %d", depth).isInstanceOf(CorruptMessageException.class);
            }
        }
    }

    private static Object onCurrent(java.util.concurrent.Callable<Object> task) {
        try {
            return task.call();
        } catch (Exception e) {
            return e;
        }
    }

    /** A tree whose deepest path has exactly {@code depth} containers, with siblings of random shape. */
    private static Object tree(Random rnd, int depth) {
        if (depth == 0) {
            return rnd.nextBoolean() ? (Object) (long) rnd.nextInt(1000) : "s" + rnd.nextInt(10);
        }
        int width = 1 + rnd.nextInt(3);
        int deep = rnd.nextInt(width);
        if (rnd.nextBoolean()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                l.add(i == deep ? tree(rnd, depth - 1) : tree(rnd, rnd.nextInt(Math.min(depth, 3))));
            }
            return l;
        }
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < width; i++) {
            m.put("k" + i, i == deep ? tree(rnd, depth - 1) : tree(rnd, rnd.nextInt(Math.min(depth, 3))));
        }
        return m;
    }

    @Test
    void aFrameHoldsAtMostAMillionValues() throws Exception {
        byte[] within = array32OfNils(MsgpackReader.MAX_ELEMENTS - 1);
        assertThat((List<?>) MessageCodec.decodeValue(within)).hasSize(MsgpackReader.MAX_ELEMENTS - 1);
        byte[] beyond = array32OfNils(MsgpackReader.MAX_ELEMENTS);
        assertThatThrownBy(() -> MessageCodec.decodeValue(beyond)).isInstanceOf(CorruptMessageException.class)
                .hasMessageContaining("more than " + MsgpackReader.MAX_ELEMENTS + " values");
    }

    private static byte[] array32OfNils(int n) {
        byte[] b = new byte[5 + n];
        b[0] = (byte) 0xdd;
        b[1] = (byte) (n >>> 24);
        b[2] = (byte) (n >>> 16);
        b[3] = (byte) (n >>> 8);
        b[4] = (byte) n;
        java.util.Arrays.fill(b, 5, b.length, (byte) 0xc0);
        return b;
    }

    @Test
    void framesBeyondTheSizeLimitAreRefusedUnread() {
        byte[] big = new byte[MessageCodec.MAX_FRAME_BYTES + 1];
        assertThatThrownBy(() -> MessageCodec.decode(big)).isInstanceOf(CorruptMessageException.class)
                .hasMessageContaining("more than " + MessageCodec.MAX_FRAME_BYTES);
    }

    /** Declared lengths that the bytes left cannot hold, at every header width, inside a valid envelope. */
    @Test
    void declaredLengthsBeyondTheFrameAreRefusedBeforeAllocating() {
        String[] headers = {"dc ffff", "dd ffffffff", "de ffff", "df ffffffff", "da ffff", "db ffffffff", "d9 ff",
            "c4 ff", "c5 ffff", "c6 ffffffff", "9f", "8f", "bf"};
        for (String h : headers) {
            byte[] header = java.util.HexFormat.of().parseHex(h.replace(" ", ""));
            byte[] frame = new byte[3 + header.length + 2];
            frame[0] = (byte) 0x93;
            frame[1] = (byte) 0xa1;
            frame[2] = 'x';
            System.arraycopy(header, 0, frame, 3, header.length);
            frame[frame.length - 2] = (byte) 0xa1;
            frame[frame.length - 1] = 'n';
            long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            assertThatThrownBy(() -> MessageCodec.decode(frame)).as(h).isInstanceOf(CorruptMessageException.class);
            long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            assertThat(after - before).as(h).isLessThan(64L * 1024 * 1024);
        }
    }
}
