package io.locusttelemetry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CustomMessageTest {

    @Test
    void normalizeKeepsWhatEveryPeerReadsAndConvertsTheRest() {
        byte[] bytes = {1, 2, 3};
        assertThat(CustomMessage.normalize(null)).isNull();
        assertThat(CustomMessage.normalize(true)).isEqualTo(true);
        assertThat(CustomMessage.normalize(7L)).isEqualTo(7L);
        assertThat(CustomMessage.normalize(1.5)).isEqualTo(1.5);
        assertThat(CustomMessage.normalize("s")).isEqualTo("s");
        assertThat(CustomMessage.normalize(bytes)).isSameAs(bytes);
        assertThat(CustomMessage.normalize(7)).isEqualTo(7L);
        assertThat(CustomMessage.normalize((short) 7)).isEqualTo(7L);
        assertThat(CustomMessage.normalize((byte) 7)).isEqualTo(7L);
        assertThat(CustomMessage.normalize(0.25f)).isEqualTo(0.25);
        assertThat(CustomMessage.normalize(new AtomicInteger(3))).isEqualTo(3.0);
        assertThat(CustomMessage.normalize(new BigDecimal("2.5"))).isEqualTo(2.5);
        assertThat(CustomMessage.normalize(BigInteger.TEN)).isEqualTo(10.0);
        assertThat(CustomMessage.normalize(Duration.ofSeconds(2))).isEqualTo("PT2S");
        assertThat(CustomMessage.normalize('c')).isEqualTo("c");

        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(1, 2);
        map.put(null, List.of(3, "x"));
        map.put("nested", Map.of("f", 1.5f));
        assertThat(CustomMessage.normalize(map)).isEqualTo(
                Map.of("1", 2L, "null", List.of(3L, "x"), "nested", Map.of("f", 1.5)));
        assertThat(CustomMessage.normalize(new LinkedHashSet<>(List.of(1, 2)))).isEqualTo(List.of(1L, 2L));
        assertThat(CustomMessage.normalize(new Object[] {1, "a", null})).isEqualTo(Arrays.asList(1L, "a", null));
        assertThat(CustomMessage.normalize(new String[] {"a", "b"})).isEqualTo(List.of("a", "b"));
    }

    /** Whatever goes in, only the kinds message data may hold come out. */
    @Test
    void randomValuesOnlyNormalizeToPortableKinds() {
        Random rnd = new Random(0xc0ffeeL);
        for (int i = 0; i < 2_000; i++) {
            assertPortable(CustomMessage.normalize(randomValue(rnd, 0)));
        }
    }

    private static void assertPortable(Object v) {
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                assertThat(k).isInstanceOf(String.class);
                assertPortable(x);
            });
        } else if (v instanceof List<?> l) {
            l.forEach(CustomMessageTest::assertPortable);
        } else if (v != null) {
            assertThat(v).isInstanceOfAny(Boolean.class, Long.class, Double.class, String.class, byte[].class);
        }
    }

    private static Object randomValue(Random rnd, int depth) {
        int kind = rnd.nextInt(depth > 3 ? 12 : 16);
        return switch (kind) {
            case 0 -> null;
            case 1 -> rnd.nextBoolean();
            case 2 -> rnd.nextInt();
            case 3 -> (short) rnd.nextInt();
            case 4 -> (byte) rnd.nextInt();
            case 5 -> rnd.nextLong();
            case 6 -> rnd.nextFloat();
            case 7 -> rnd.nextDouble();
            case 8 -> new BigInteger(80, rnd);
            case 9 -> new byte[rnd.nextInt(4)];
            case 10 -> Duration.ofMillis(rnd.nextInt(1000));
            case 11 -> "s" + rnd.nextInt();
            case 12 -> {
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int j = rnd.nextInt(4); j > 0; j--) {
                    m.put(rnd.nextBoolean() ? rnd.nextInt(5) : "k" + j, randomValue(rnd, depth + 1));
                }
                yield m;
            }
            case 13 -> {
                List<Object> l = new ArrayList<>();
                for (int j = rnd.nextInt(4); j > 0; j--) {
                    l.add(randomValue(rnd, depth + 1));
                }
                yield l;
            }
            case 14 -> new Object[] {randomValue(rnd, depth + 1), randomValue(rnd, depth + 1)};
            default -> new LinkedHashSet<>(List.of(rnd.nextInt(3)));
        };
    }
}
