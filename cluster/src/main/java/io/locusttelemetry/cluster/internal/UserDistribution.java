package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.internal.UserDispatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads users over workers the way Locust's dispatcher does: the k-th user gets its class from a
 * fixed sequence (fixed-count classes first, then the weighted classes interleaved by weight) and
 * goes to worker {@code k mod W} in worker order. Every worker's target lists every class, so the
 * result can be sent as absolute {@code user_classes_count} maps. Growing the total by one adds
 * exactly one user, so a ramp never moves users between workers or classes; a change of the worker
 * list (join, leave, missing) redistributes from scratch, as Locust's rebalancing does.
 */
public final class UserDistribution {
    private final List<String> classNames = new ArrayList<>();
    private final int[] weights;
    private final int[] fixed;
    private int[] sequence = new int[0];

    public UserDistribution(List<Class<? extends User>> classes) {
        weights = new int[classes.size()];
        fixed = new int[classes.size()];
        for (int i = 0; i < classes.size(); i++) {
            Class<? extends User> c = classes.get(i);
            classNames.add(c.getSimpleName());
            fixed[i] = UserDispatcher.fixedCountOf(c);
            weights[i] = fixed[i] > 0 ? 0 : Math.max(0, UserDispatcher.weightOf(c));
        }
    }

    /** A distribution over plain class names with the given weights (for tests and foreign classes). */
    public UserDistribution(Map<String, Integer> weightsByName) {
        weights = new int[weightsByName.size()];
        fixed = new int[weightsByName.size()];
        int i = 0;
        for (Map.Entry<String, Integer> e : weightsByName.entrySet()) {
            classNames.add(e.getKey());
            weights[i++] = e.getValue();
        }
    }

    public List<String> classNames() {
        return List.copyOf(classNames);
    }

    /** The class index of each of the first {@code n} users. */
    synchronized int[] sequence(int n) {
        if (sequence.length >= n) {
            return sequence;
        }
        int[] seq = new int[Math.max(n, sequence.length * 2)];
        int k = 0;
        for (int i = 0; i < fixed.length && k < seq.length; i++) {
            for (int j = 0; j < fixed[i] && k < seq.length; j++) {
                seq[k++] = i;
            }
        }
        long weightSum = 0;
        for (int w : weights) {
            weightSum += w;
        }
        int[] assigned = new int[weights.length];
        int weightedStart = k;
        while (k < seq.length) {
            if (weightSum == 0) {
                // only fixed-count classes: nothing more to spawn; mark with -1
                seq[k++] = -1;
                continue;
            }
            int step = k - weightedStart + 1;
            int best = -1;
            double bestDeficit = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < weights.length; i++) {
                if (weights[i] == 0) {
                    continue;
                }
                double deficit = (double) weights[i] * step / weightSum - assigned[i];
                if (deficit > bestDeficit + 1e-12) {
                    bestDeficit = deficit;
                    best = i;
                }
            }
            assigned[best]++;
            seq[k++] = best;
        }
        sequence = seq;
        return seq;
    }

    /**
     * Absolute per-class targets for each worker.
     *
     * @param total   users over all workers
     * @param workers worker ids in dispatch order
     */
    public Map<String, Map<String, Integer>> distribute(int total, List<String> workers) {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        List<int[]> perWorker = new ArrayList<>();
        for (int w = 0; w < workers.size(); w++) {
            perWorker.add(new int[classNames.size()]);
        }
        if (!workers.isEmpty() && total > 0) {
            int[] seq = sequence(total);
            int placed = 0;
            for (int k = 0; k < total; k++) {
                if (seq[k] < 0) {
                    continue;
                }
                perWorker.get(placed % workers.size())[seq[k]]++;
                placed++;
            }
        }
        for (int w = 0; w < workers.size(); w++) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int c = 0; c < classNames.size(); c++) {
                counts.put(classNames.get(c), perWorker.get(w)[c]);
            }
            out.put(workers.get(w), counts);
        }
        return out;
    }
}
