package io.locusttelemetry.telemetry.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.telemetry.TestMetadata;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What plugins put into records, and what users put into --testplan, crosses into OTLP: hostile
 * values never break a log record (nulls and NaN dropped, nesting flattened, numbers kept), and the
 * baggage header of any test plan name parses back to that name with the W3C propagator.
 */
class HostileRecordValuesTest {
    private static final String[] NASTY = {"", " ", "a,b", "k=v", "50%", "%zz", "\u00e9t\u00e9", "\u4e2d\u6587", "tab\there", "line\nbreak",
        "quote\"", "semi;colon", "\u0000nul", "emoji \ud83d\ude80", "x".repeat(5000), "=", ",", ";", "+plus+"};

    @Test
    void anyFieldValueGivesAttributesWithoutNullsAndWithTheNumbersKept() {
        Random r = new Random(42);
        for (int round = 0; round < 2000; round++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            int n = r.nextInt(8);
            for (int i = 0; i < n; i++) {
                fields.put(NASTY[r.nextInt(NASTY.length)] + i, value(r, 0));
            }
            fields.put("count", 7);
            fields.put("nothing", null);
            fields.put("nan", Double.NaN);
            Attributes a = LogRecords.attributes(fields);
            assertThat(a.get(AttributeKey.longKey("count"))).isEqualTo(7L);
            assertThat(a.asMap().keySet()).noneMatch(k -> k.getKey().equals("nothing") || k.getKey().equals("nan"));
            assertThat(a.asMap().values()).doesNotContainNull();
        }
    }

    @Test
    void nestedMapsBecomeDottedKeysAndListsArraysOfText() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("b", 2.5);
        inner.put("c", List.of(1, "two", Map.of()));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("a", inner);
        fields.put("when", Instant.parse("2026-12-07T01:02:03.004Z"));
        fields.put("ints", new int[] {1, 2});
        Attributes a = LogRecords.attributes(fields);
        assertThat(a.get(AttributeKey.doubleKey("a.b"))).isEqualTo(2.5);
        assertThat(a.get(AttributeKey.stringArrayKey("a.c"))).containsExactly("1", "two", "{}");
        assertThat(a.get(AttributeKey.stringKey("when"))).isEqualTo("2026-12-07T01:02:03.004Z");
        assertThat(a.get(AttributeKey.stringArrayKey("ints"))).containsExactly("1", "2");
    }

    @Test
    void theBaggageOfAnyTestPlanNameParsesBackToIt() {
        BaggageHeader header = new BaggageHeader();
        Random r = new Random(7);
        for (int round = 0; round < 2000; round++) {
            // --testplan arrives trimmed and not empty
            StringBuilder plan = new StringBuilder("p");
            for (int i = 0, n = r.nextInt(4); i < n; i++) {
                plan.append(NASTY[r.nextInt(NASTY.length)]);
            }
            plan.append('q');
            String runId = "r" + round;
            String value = header.value(new TestMetadata(runId, plan.toString(), Map.of()));
            assertThat(value).doesNotContain(" ", "\n", "\t", "\"", ";");
            Map<String, String> carrier = new HashMap<>();
            carrier.put("baggage", value);
            Baggage parsed = Baggage.fromContext(W3CBaggagePropagator.getInstance().extract(Context.root(), carrier, GETTER));
            assertThat(parsed.getEntryValue("locust.run_id")).isEqualTo(runId);
            assertThat(parsed.getEntryValue("locust.testplan")).as("plan %s", plan).isEqualTo(plan.toString());
        }
    }

    private static Object value(Random r, int depth) {
        return switch (r.nextInt(depth > 2 ? 9 : 11)) {
            case 0 -> null;
            case 1 -> NASTY[r.nextInt(NASTY.length)];
            case 2 -> r.nextLong();
            case 3 -> r.nextDouble() * 1e300;
            case 4 -> r.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY;
            case 5 -> r.nextBoolean();
            case 6 -> Instant.ofEpochMilli(r.nextLong(0, 1L << 42));
            case 7 -> (float) r.nextGaussian();
            case 8 -> new Object() {
                @Override
                public String toString() {
                    return "custom " + r.nextInt();
                }
            };
            case 9 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(NASTY[r.nextInt(NASTY.length)], value(r, depth + 1));
                yield m;
            }
            default -> {
                List<Object> l = new ArrayList<>();
                l.add(value(r, depth + 1));
                l.add(null);
                yield l;
            }
        };
    }

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
}
