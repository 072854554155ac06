package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.FixedCount;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.Weight;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides how many users of each class make up a total: fixed-count classes first, the rest in
 * proportion to the weights. The k-th user's class comes from a fixed sequence, so growing the total
 * by one only ever adds one user (a ramp never moves users between classes).
 */
public final class UserDispatcher {
    private final List<Class<? extends User>> classes;
    private final int[] weights;
    private final int[] fixed;

    public UserDispatcher(List<Class<? extends User>> classes) {
        this.classes = List.copyOf(classes);
        this.weights = new int[classes.size()];
        this.fixed = new int[classes.size()];
        for (int i = 0; i < classes.size(); i++) {
            Class<? extends User> c = classes.get(i);
            FixedCount fc = c.getAnnotation(FixedCount.class);
            Weight w = c.getAnnotation(Weight.class);
            fixed[i] = fc == null ? 0 : fc.value();
            weights[i] = fixed[i] > 0 ? 0 : (w == null ? 1 : w.value());
        }
    }

    public static int weightOf(Class<? extends User> c) {
        Weight w = c.getAnnotation(Weight.class);
        return w == null ? 1 : w.value();
    }

    public static int fixedCountOf(Class<? extends User> c) {
        FixedCount fc = c.getAnnotation(FixedCount.class);
        return fc == null ? 0 : fc.value();
    }

    /** Users per class name (all classes listed) for {@code total} users. */
    public Map<String, Integer> countsByName(int total) {
        int[] counts = counts(total);
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            out.put(classes.get(i).getSimpleName(), counts[i]);
        }
        return out;
    }

    /** Users per class index for {@code total} users. */
    public int[] counts(int total) {
        int n = classes.size();
        int[] counts = new int[n];
        int left = total;
        for (int i = 0; i < n && left > 0; i++) {
            int take = Math.min(fixed[i], left);
            counts[i] = take;
            left -= take;
        }
        long weightSum = 0;
        for (int w : weights) {
            weightSum += w;
        }
        if (weightSum == 0 || left == 0) {
            return counts;
        }
        int[] weighted = new int[n];
        for (int k = 1; k <= left; k++) {
            int best = -1;
            double bestDeficit = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (weights[i] == 0) {
                    continue;
                }
                double deficit = (double) weights[i] * k / weightSum - weighted[i];
                if (deficit > bestDeficit + 1e-12) {
                    bestDeficit = deficit;
                    best = i;
                }
            }
            weighted[best]++;
        }
        for (int i = 0; i < n; i++) {
            counts[i] += weighted[i];
        }
        return counts;
    }

    public List<Class<? extends User>> classes() {
        return classes;
    }
}
