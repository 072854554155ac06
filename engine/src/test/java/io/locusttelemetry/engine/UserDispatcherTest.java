package io.locusttelemetry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UserDispatcherTest {

    @Test
    void matchesLocustsDispatcherForTwoClassesOnTwoWorkers() {
        // Locust 2.12.1's dispatcher, -u 6 -r 2 on two workers with classes A and B of equal weight
        UserDispatcher d = weights("A", 1, "B", 1);
        List<String> workers = List.of("w1", "w2");
        assertThat(d.distribute(2, workers)).isEqualTo(Map.of("w1", Map.of("A", 1, "B", 0), "w2", Map.of("A", 0, "B", 1)));
        assertThat(d.distribute(4, workers)).isEqualTo(Map.of("w1", Map.of("A", 2, "B", 0), "w2", Map.of("A", 0, "B", 2)));
        assertThat(d.distribute(6, workers)).isEqualTo(Map.of("w1", Map.of("A", 3, "B", 0), "w2", Map.of("A", 0, "B", 3)));
    }

    @Test
    void weightsAndRebalancing() {
        UserDispatcher d = weights("A", 3, "B", 1);
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

    @Weight(3)
    static class Heavy extends User {}

    static class Plain extends User {}

    @FixedCount(2)
    @Weight(7)
    static class Admin extends User {}

    @Test
    void userClassesGiveTheirWeightAndFixedCount() {
        UserDispatcher d = UserDispatcher.of(List.of(Heavy.class, Plain.class, Admin.class));
        assertThat(d.classNames()).containsExactly("Heavy", "Plain", "Admin");
        assertThat(d.weight("Heavy")).isEqualTo(3);
        assertThat(d.weight("Plain")).isEqualTo(1);
        assertThat(d.fixedCount("Admin")).isEqualTo(2);
        assertThat(d.fixedCount("Heavy")).isZero();
        assertThat(UserDispatcher.weightOf(Admin.class)).isEqualTo(7);
        assertThat(UserDispatcher.fixedCountOf(Plain.class)).isZero();
        assertThatThrownBy(() -> d.weight("Nobody")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nobody");
        // the fixed-count class is served first and its weight plays no part
        assertThat(d.counts(1)).containsExactly(Map.entry("Heavy", 0), Map.entry("Plain", 0), Map.entry("Admin", 1));
        assertThat(d.counts(10)).containsExactly(Map.entry("Heavy", 6), Map.entry("Plain", 2), Map.entry("Admin", 2));
    }

    @Test
    void onlyFixedCountClassesStopAtTheirCounts() {
        UserDispatcher d = UserDispatcher.builder().fixedCount("A", 2).fixedCount("B", 1).build();
        assertThat(d.counts(2)).containsExactly(Map.entry("A", 2), Map.entry("B", 0));
        assertThat(d.counts(100)).containsExactly(Map.entry("A", 2), Map.entry("B", 1));
        assertThat(d.distribute(100, List.of("w1", "w2"))).isEqualTo(Map.of("w1", Map.of("A", 1, "B", 1), "w2", Map.of("A", 1, "B", 0)));
        assertThat(d.distribute(5, List.of())).isEmpty();
    }

    /**
     * Random classes, totals and worker counts: the workers' users add up to the one-target counts
     * class by class, the weighted classes stay within one user of their share, each step of a ramp
     * adds exactly one user on one worker and takes none away, and workers differ by at most one user.
     */
    @Test
    void randomDispatchesKeepLocustsInvariants() {
        Random rnd = new Random(0xd15ba7c4L);
        for (int round = 0; round < 300; round++) {
            UserDispatcher.Builder b = UserDispatcher.builder();
            int classes = 1 + rnd.nextInt(6);
            int fixedTotal = 0;
            long weightSum = 0;
            Map<String, Integer> fixed = new LinkedHashMap<>();
            Map<String, Integer> weight = new LinkedHashMap<>();
            for (int c = 0; c < classes; c++) {
                String name = "C" + c;
                if (rnd.nextInt(4) == 0) {
                    int count = rnd.nextInt(5);
                    b.fixedCount(name, count);
                    if (count > 0) {
                        fixed.put(name, count);
                        fixedTotal += count;
                    } else {
                        weight.put(name, 1);
                        weightSum += 1;
                    }
                } else {
                    int w = rnd.nextInt(10) - 1;
                    b.weighted(name, w);
                    weight.put(name, Math.max(0, w));
                    weightSum += Math.max(0, w);
                }
            }
            UserDispatcher d = b.build();
            List<String> workers = new ArrayList<>();
            int workerCount = 1 + rnd.nextInt(7);
            for (int w = 0; w < workerCount; w++) {
                workers.add("worker_" + w);
            }
            int maxTotal = rnd.nextInt(120);
            Map<String, Map<String, Integer>> previous = d.distribute(0, workers);
            int previousPlaced = 0;
            for (int total = 1; total <= maxTotal; total++) {
                Map<String, Integer> local = d.counts(total);
                Map<String, Map<String, Integer>> spread = d.distribute(total, workers);
                String where = "round " + round + ", " + d + ", " + total + " users on " + workerCount + " workers";

                assertThat(d.distribute(total, List.of("only")).get("only")).as(where).isEqualTo(local);
                Map<String, Integer> summed = new LinkedHashMap<>();
                spread.values().forEach(m -> m.forEach((k, v) -> summed.merge(k, v, Integer::sum)));
                assertThat(summed).as(where).isEqualTo(local);

                int placed = local.values().stream().mapToInt(Integer::intValue).sum();
                assertThat(placed).as(where).isEqualTo(weightSum == 0 ? Math.min(total, fixedTotal) : total);
                int fixedLeft = total;
                for (Map.Entry<String, Integer> f : fixed.entrySet()) {
                    assertThat(local.get(f.getKey())).as(where).isEqualTo(Math.min(f.getValue(), Math.max(0, fixedLeft)));
                    fixedLeft -= f.getValue();
                }
                int weighted = Math.max(0, total - fixedTotal);
                for (Map.Entry<String, Integer> w : weight.entrySet()) {
                    double share = weightSum == 0 ? 0 : (double) w.getValue() * weighted / weightSum;
                    assertThat(Math.abs(local.get(w.getKey()) - share)).as(where + ", class " + w.getKey()).isLessThan(1.0);
                }

                int added = 0;
                int most = Integer.MIN_VALUE;
                int least = Integer.MAX_VALUE;
                for (String worker : workers) {
                    int users = 0;
                    for (String c : d.classNames()) {
                        int now = spread.get(worker).get(c);
                        int before = previous.get(worker).get(c);
                        assertThat(now).as(where + ", " + worker + " " + c).isGreaterThanOrEqualTo(before);
                        added += now - before;
                        users += now;
                    }
                    most = Math.max(most, users);
                    least = Math.min(least, users);
                }
                assertThat(added).as(where).isEqualTo(placed - previousPlaced).isBetween(0, 1);
                assertThat(most - least).as(where).isLessThanOrEqualTo(1);
                previous = spread;
                previousPlaced = placed;
            }
        }
    }

    private static UserDispatcher weights(Object... pairs) {
        UserDispatcher.Builder b = UserDispatcher.builder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.weighted((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return b.build();
    }
}
