package io.locusttelemetry.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.ParsedOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MasterOptionsTest {

    private static Environment worker() {
        return Environment.builder().parsedOptions(new ParsedOptions(Map.of("host", "http://own", "tags", List.of()))).build();
    }

    @Test
    void takesWhatTheWorkerDoesNotDefineAndAlwaysTheTags() {
        Environment env = worker();
        Map<String, Object> fromMaster = new LinkedHashMap<>();
        fromMaster.put("host", "http://master");
        fromMaster.put("run_id", "abc");
        fromMaster.put("tags", List.of("a", "b"));
        fromMaster.put("expect_workers", 3L);
        MasterOptions.apply(env, fromMaster);
        assertThat(env.parsedOptions().get("host")).isEqualTo("http://own");
        assertThat(env.parsedOptions().get("run_id")).isEqualTo("abc");
        assertThat(env.parsedOptions().get("expect_workers")).isEqualTo(3L);
        assertThat(env.tags()).containsExactlyInAnyOrder("a", "b");
        assertThat(env.excludeTags()).isNull();

        MasterOptions.apply(env, Map.of("exclude_tags", " slow, ,heavy "));
        assertThat(env.tags()).containsExactlyInAnyOrder("a", "b");
        assertThat(env.excludeTags()).containsExactlyInAnyOrder("slow", "heavy");

        MasterOptions.apply(env, Map.of("tags", "", "exclude_tags", List.of()));
        assertThat(env.tags()).isNull();
        assertThat(env.excludeTags()).isNull();
    }

    /** parsed_options come off the wire: whatever a peer sends, applying them never throws. */
    @Test
    void hostileOptionsNeverThrow() {
        Random rnd = new Random(0x7a95L);
        Object[] values = {null, "", " , ,", "a,b", 42L, -1.5, true, new byte[] {0, 1}, List.of(), Arrays.asList(null, 1L, "x"),
            Map.of("k", "v"), List.of(List.of("nested")), "\u0000\ud800", "x".repeat(10_000)};
        String[] keys = {"tags", "exclude_tags", "expect_workers", "host", "num_users", "", "\u0000", "run_id"};
        for (int i = 0; i < 2_000; i++) {
            Environment env = worker();
            Map<String, Object> fromMaster = new LinkedHashMap<>();
            for (int j = rnd.nextInt(5); j > 0; j--) {
                fromMaster.put(keys[rnd.nextInt(keys.length)], values[rnd.nextInt(values.length)]);
            }
            MasterOptions.apply(env, fromMaster);
            for (Set<String> tags : new ArrayList<>(Arrays.asList(env.tags(), env.excludeTags()))) {
                if (tags != null) {
                    assertThat(tags).doesNotContainNull().noneMatch(t -> t.isBlank() && !t.isEmpty());
                }
            }
        }
    }
}
