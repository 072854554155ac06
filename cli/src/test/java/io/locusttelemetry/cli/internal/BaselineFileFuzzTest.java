package io.locusttelemetry.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsComparison;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A baseline is a file a user points at: whatever it holds, reading it gives statistics or one
 * line saying what is wrong, never another exception; what {@code --json-file} writes reads back
 * to the same numbers.
 */
class BaselineFileFuzzTest {
    private static final String[] HOSTILE = {"", "null", "{}", "[]", "[null]", "[1]", "\"x\"", "[[[[[[[[[[[[]]]]]]]]]]]]",
        "[" + "[".repeat(5000) + "]".repeat(5000) + "]", "{\"stats\": 5}", "{\"stats\": [{}]}",
        "[{\"name\": \"/a\", \"method\": \"GET\", \"num_requests\": 1e400}]",
        "[{\"name\": \"/a\", \"method\": \"GET\", \"num_requests\": 99999999999999999999999}]",
        "[{\"name\": \"/a\", \"method\": \"GET\", \"num_requests\": 2, \"response_times\": {\"abc\": 2}}]",
        "[{\"name\": \"/a\", \"method\": \"GET\", \"num_requests\": 2, \"response_times\": {\"-5\": 2}}]",
        "[{\"name\": \"/a\", \"method\": \"GET\", \"num_requests\": 2, \"num_failures\": 3, \"response_times\": {\"5\": 2}}]",
        "[{\"name\": 7, \"method\": \"GET\"}]", "[{\"name\": \"/a\", \"method\": \"GET\", \"max_response_time\": \"NaN\"}]",
        "[{\"name\": \"/a\", \"method\": \"GET\"}, {\"name\": \"/a\", \"method\": \"GET\"}]", "\u0000\u0001", "[{\"name\": \"\\ud800\"}]"};

    static String written() {
        RequestStats stats = new RequestStats();
        for (int i = 0; i < 200; i++) {
            stats.logRequest("GET", "/cart", (i % 50) * 1000L + 500, 100, i % 20 == 0 ? "HTTP 500" : null);
            stats.logRequest("POST", "/a \"b\", c: d", 150_000, 10);
        }
        return JsonStats.render(stats.fullSnapshot());
    }

    @Test
    void whatJsonFileWritesReadsBackToTheSameNumbers() {
        RequestStats stats = new RequestStats();
        for (int i = 0; i < 200; i++) {
            stats.logRequest("GET", "/cart", (i % 50) * 1000L + 500, 100, i % 20 == 0 ? "HTTP 500" : null);
        }
        StatsSnapshot original = stats.fullSnapshot();
        StatsSnapshot read = BaselineFile.parse(JsonStats.render(original).getBytes(StandardCharsets.UTF_8));
        StatsComparison c = StatsComparison.of(read, original);
        for (StatsComparison.Row row : c.rows()) {
            assertThat(row.baseline().p50()).isEqualTo(row.current().p50());
            assertThat(row.baseline().p99()).isEqualTo(row.current().p99());
            assertThat(row.baseline().requests()).isEqualTo(row.current().requests());
            assertThat(row.baseline().failRatio()).isEqualTo(row.current().failRatio());
        }
        assertThat(c.regressions(0)).isEmpty();
        assertThat(read.total().numRequests()).isEqualTo(200);
        // the object --json prints with thresholds is a baseline too
        String object = "{\"stats\": " + JsonStats.render(original) + ", \"thresholds\": []}";
        assertThat(BaselineFile.parse(object.getBytes(StandardCharsets.UTF_8)).total().numFailures()).isEqualTo(10);
    }

    @Test
    void hostileFilesAreOneLineErrors() {
        for (String h : HOSTILE) {
            check(h.getBytes(StandardCharsets.UTF_8), 0);
        }
        assertThatThrownBy(() -> BaselineFile.parse("[{\"name\": \"/a\", \"method\": \"GET\"}, {\"name\": \"/a\", \"method\": \"GET\"}]"
                .getBytes(StandardCharsets.UTF_8))).hasMessage("the entry GET /a appears twice");
        assertThatThrownBy(() -> BaselineFile.parse("{\"stats\": 5}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("not a list of statistics entries");
    }

    @Test
    void mutatedFilesReadOrFailWithOneLine() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        byte[] valid = written().getBytes(StandardCharsets.UTF_8);
        String[] inserts = {"-", "1e999", "\"", "null", "[", "}", ",", "99999999999999999999", "0.5", "NaN", "\\u0000", "{\"a\":1}"};
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder(new String(valid, StandardCharsets.UTF_8));
            for (int m = 1 + rnd.nextInt(3); m > 0; m--) {
                int at = rnd.nextInt(sb.length());
                switch (rnd.nextInt(4)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, inserts[rnd.nextInt(inserts.length)]);
                    case 2 -> sb.setCharAt(at, (char) ('0' + rnd.nextInt(10)));
                    default -> sb.setCharAt(at, (char) rnd.nextInt(0x80));
                }
            }
            check(sb.toString().getBytes(StandardCharsets.UTF_8), seed);
        }
    }

    private static void check(byte[] bytes, long seed) {
        try {
            StatsSnapshot s = BaselineFile.parse(bytes);
            assertThat(s.total().numRequests()).isNotNegative();
            StatsComparison.of(s, s).regressions(10);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).as("seed %d", seed).isNotBlank().doesNotContain("\n", "\r", "\u0000");
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + ": " + e + " for " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }
}
