package io.locusttelemetry.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the users of a test are shared out over its user classes and over W targets (the workers of a
 * master; one target, W = 1, for a local run), as Locust's dispatcher does.
 *
 * <p>The k-th user gets its class from one fixed sequence: the fixed-count classes first (their
 * {@link FixedCount}, in class order), then the weighted classes interleaved by {@link Weight}; it
 * goes to target {@code k mod W}. So growing the total by one adds exactly one user, and a ramp never
 * moves users between classes or targets; a change of the target list redistributes from scratch.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class UserDispatcher {
    private final List<String> classNames;
    private final int[] declaredWeights;
    /** What the sequence uses: 0 for fixed-count classes and for weights below 1. */
    private final int[] weights;
    private final int[] fixedCounts;
    /** The class index of the first users, computed on demand; a benign race only computes it twice. */
    private volatile int[] sequence = new int[0];

    private UserDispatcher(List<String> classNames, int[] declaredWeights, int[] fixedCounts) {
        this.classNames = List.copyOf(classNames);
        this.declaredWeights = declaredWeights;
        this.fixedCounts = fixedCounts;
        this.weights = new int[declaredWeights.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = fixedCounts[i] > 0 ? 0 : Math.max(0, declaredWeights[i]);
        }
    }

    /** A dispatcher over user classes, by simple name, with their {@link Weight} and {@link FixedCount}. */
    public static UserDispatcher of(List<Class<? extends User>> classes) {
        Builder b = builder();
        for (Class<? extends User> c : classes) {
            b.add(c.getSimpleName(), weightOf(c), fixedCountOf(c));
        }
        return b.build();
    }

    /** For classes known by name only (for example those of a foreign worker). */
    public static Builder builder() {
        return new Builder();
    }

    /** A class's {@link Weight}, 1 when it has none (also for fixed-count classes, which ignore it). */
    public static int weightOf(Class<? extends User> userClass) {
        Weight w = userClass.getAnnotation(Weight.class);
        return w == null ? 1 : w.value();
    }

    /** A class's {@link FixedCount}, 0 when it has none. */
    public static int fixedCountOf(Class<? extends User> userClass) {
        FixedCount fc = userClass.getAnnotation(FixedCount.class);
        return fc == null ? 0 : fc.value();
    }

    /** The class names, in dispatch order. */
    public List<String> classNames() {
        return classNames;
    }

    /** The weight a class was declared with (the first class of that name). */
    public int weight(String className) {
        return declaredWeights[indexOf(className)];
    }

    /** The fixed count of a class, 0 for a weighted class. */
    public int fixedCount(String className) {
        return fixedCounts[indexOf(className)];
    }

    /**
     * The same classes where only those in {@code weights} get users, each with the weight given
     * (Locust's class picker); a fixed-count class keeps its fixed count, whatever its weight.
     *
     * @throws IllegalArgumentException for a class this dispatcher does not have, a negative weight,
     *                                  or when no chosen class would get a user
     */
    public UserDispatcher select(Map<String, Integer> weights) {
        int n = classNames.size();
        int[] declared = new int[n];
        int[] fixed = new int[n];
        boolean anyUser = false;
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            int i = classNames.indexOf(e.getKey());
            if (i < 0) {
                throw new IllegalArgumentException("unknown user class '" + e.getKey() + "' (known: " + String.join(", ", classNames) + ")");
            }
            int w = e.getValue() == null ? declaredWeights[i] : e.getValue();
            if (w < 0) {
                throw new IllegalArgumentException("the weight of " + e.getKey() + " must be 0 or more, not " + w);
            }
            declared[i] = fixedCounts[i] > 0 ? declaredWeights[i] : w;
            fixed[i] = fixedCounts[i];
            anyUser |= fixed[i] > 0 || w > 0;
        }
        if (!anyUser) {
            throw new IllegalArgumentException("choose at least one user class with a weight above 0");
        }
        return new UserDispatcher(classNames, declared, fixed);
    }

    /** The weight of each class that gets users (fixed-count classes with their declared weight). */
    public Map<String, Integer> weights() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            if (weights[i] > 0 || fixedCounts[i] > 0) {
                out.put(classNames.get(i), declaredWeights[i]);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserDispatcher d && d.classNames.equals(classNames) && java.util.Arrays.equals(d.weights, weights)
                && java.util.Arrays.equals(d.fixedCounts, fixedCounts);
    }

    @Override
    public int hashCode() {
        return classNames.hashCode() * 31 + java.util.Arrays.hashCode(weights);
    }

    private int indexOf(String className) {
        int i = classNames.indexOf(className);
        if (i < 0) {
            throw new IllegalArgumentException("unknown user class '" + className + "' (known: " + classNames + ")");
        }
        return i;
    }

    /** Users per class (every class listed, in dispatch order) when {@code total} users run on one target. */
    public Map<String, Integer> counts(int total) {
        int[] perClass = new int[classNames.size()];
        if (total > 0) {
            int[] seq = sequence(total);
            for (int k = 0; k < total; k++) {
                if (seq[k] >= 0) {
                    perClass[seq[k]]++;
                }
            }
        }
        return byName(perClass);
    }

    /**
     * Users per class for each target when {@code total} users run over {@code targets}; every map
     * lists every class, so each can go out as an absolute {@code user_classes_count}.
     *
     * @param targets target ids (worker node ids) in dispatch order
     * @return per target id, in the order of {@code targets}
     */
    public Map<String, Map<String, Integer>> distribute(int total, List<String> targets) {
        int[][] perTarget = new int[targets.size()][classNames.size()];
        if (!targets.isEmpty() && total > 0) {
            int[] seq = sequence(total);
            int placed = 0;
            for (int k = 0; k < total; k++) {
                if (seq[k] >= 0) {
                    perTarget[placed % targets.size()][seq[k]]++;
                    placed++;
                }
            }
        }
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (int t = 0; t < targets.size(); t++) {
            out.put(targets.get(t), byName(perTarget[t]));
        }
        return out;
    }

    private Map<String, Integer> byName(int[] perClass) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int c = 0; c < perClass.length; c++) {
            counts.put(classNames.get(c), perClass[c]);
        }
        return counts;
    }

    /**
     * The class index of each of the first {@code n} users (or more); -1 once only fixed-count
     * classes exist and they are full. A weighted user goes to the class furthest below its share.
     */
    private int[] sequence(int n) {
        int[] known = sequence;
        if (known.length >= n) {
            return known;
        }
        int[] seq = new int[Math.max(n, known.length * 2)];
        int k = 0;
        for (int i = 0; i < fixedCounts.length && k < seq.length; i++) {
            for (int j = 0; j < fixedCounts[i] && k < seq.length; j++) {
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

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("UserDispatcher{");
        for (int i = 0; i < classNames.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(classNames.get(i)).append('=');
            sb.append(fixedCounts[i] > 0 ? "fixed " + fixedCounts[i] : "weight " + declaredWeights[i]);
        }
        return sb.append('}').toString();
    }

    /** Builds a dispatcher over classes named on the wire. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<int[]> weightAndFixed = new ArrayList<>();

        private Builder() {}

        /** Adds a weighted class; a weight of 0 or less gets no users. */
        public Builder weighted(String className, int weight) {
            return add(className, weight, 0);
        }

        /** Adds a class that gets exactly {@code count} users, before any weighted class. */
        public Builder fixedCount(String className, int count) {
            return add(className, 1, count);
        }

        private Builder add(String className, int weight, int fixedCount) {
            names.add(Objects.requireNonNull(className, "className"));
            weightAndFixed.add(new int[] {weight, fixedCount});
            return this;
        }

        public UserDispatcher build() {
            int n = names.size();
            int[] declared = new int[n];
            int[] fixed = new int[n];
            for (int i = 0; i < n; i++) {
                declared[i] = weightAndFixed.get(i)[0];
                fixed[i] = Math.max(0, weightAndFixed.get(i)[1]);
            }
            return new UserDispatcher(names, declared, fixed);
        }
    }
}
