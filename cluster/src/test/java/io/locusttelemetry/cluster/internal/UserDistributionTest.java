package io.locusttelemetry.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserDistributionTest {

    @Test
    void matchesLocustsDispatcherForTwoClassesOnTwoWorkers() {
        // Locust 2.12.1's dispatcher, -u 6 -r 2 on two workers with classes A and B of equal weight
        UserDistribution d = new UserDistribution(weights("A", 1, "B", 1));
        List<String> workers = List.of("w1", "w2");
        assertThat(d.distribute(2, workers)).isEqualTo(Map.of("w1", Map.of("A", 1, "B", 0), "w2", Map.of("A", 0, "B", 1)));
        assertThat(d.distribute(4, workers)).isEqualTo(Map.of("w1", Map.of("A", 2, "B", 0), "w2", Map.of("A", 0, "B", 2)));
        assertThat(d.distribute(6, workers)).isEqualTo(Map.of("w1", Map.of("A", 3, "B", 0), "w2", Map.of("A", 0, "B", 3)));
    }

    @Test
    void weightsAndRebalancing() {
        UserDistribution d = new UserDistribution(weights("A", 3, "B", 1));
        Map<String, Map<String, Integer>> one = d.distribute(8, List.of("w1"));
        assertThat(one.get("w1")).isEqualTo(Map.of("A", 6, "B", 2));
        Map<String, Map<String, Integer>> three = d.distribute(8, List.of("w1", "w2", "w3"));
        int total = three.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum();
        assertThat(total).isEqualTo(8);
        assertThat(three.values()).allSatisfy(m -> assertThat(m).containsOnlyKeys("A", "B"));
        assertThat(three.get("w1").values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
        assertThat(three.get("w3").values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
        assertThat(d.distribute(0, List.of("w1")).get("w1")).isEqualTo(Map.of("A", 0, "B", 0));
    }

    private static Map<String, Integer> weights(Object... pairs) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return m;
    }
}
