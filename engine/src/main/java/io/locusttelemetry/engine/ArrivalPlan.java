package io.locusttelemetry.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An open model: iterations per second in total, shared out over user classes, each class with
 * the most users its pool may grow to, and how the intended starts are spaced. Immutable.
 *
 * <p>{@link #resolve} reads it from the user classes' {@link ArrivalRate} and the command line
 * ({@code --arrival-rate}, {@code --max-users}); a load shape changes the total with
 * {@link #withTotalRate}; a master gives each worker its part with {@link #of}.
 *
 * @param totalRate    iterations per second over all classes, 0 or more
 * @param shares       each class's share of the rate (summing to 1), by simple class name
 * @param maxUsers     each class's most users, by simple class name (the same classes)
 * @param distribution how the starts are spaced
 */
public record ArrivalPlan(double totalRate, Map<String, Double> shares, Map<String, Integer> maxUsers,
                          ArrivalDistribution distribution) {
    /** The highest rate a class, a run or a worker may have, per second. */
    public static final double MAX_RATE = 1_000_000;
    /** The most users one class, or a run, may have. */
    public static final int MAX_USERS = 1_000_000;
    /** {@code --max-users} when neither it nor {@link ArrivalRate#maxUsers()} says. */
    public static final int DEFAULT_MAX_USERS = 1000;

    public ArrivalPlan {
        Objects.requireNonNull(distribution, "distribution");
        if (!(totalRate >= 0 && totalRate <= MAX_RATE)) {
            throw new IllegalArgumentException("the arrival rate " + totalRate + " is not between 0 and " + (long) MAX_RATE + " per second");
        }
        if (!shares.keySet().equals(maxUsers.keySet())) {
            throw new IllegalArgumentException("shares and max users name different classes: " + shares.keySet() + ", " + maxUsers.keySet());
        }
        double sum = 0;
        for (Map.Entry<String, Double> e : shares.entrySet()) {
            double share = Objects.requireNonNull(e.getValue(), e.getKey());
            if (!(share >= 0 && share <= 1.000001)) {
                throw new IllegalArgumentException("the share " + share + " of " + e.getKey() + " is not between 0 and 1");
            }
            sum += share;
        }
        if (!shares.isEmpty() && Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("the shares of the arrival rate add up to " + sum + ", not 1");
        }
        for (Map.Entry<String, Integer> e : maxUsers.entrySet()) {
            int m = Objects.requireNonNull(e.getValue(), e.getKey());
            if (m < 0 || m > MAX_USERS) {
                throw new IllegalArgumentException("the most users " + m + " of " + e.getKey() + " is not between 0 and " + MAX_USERS);
            }
        }
        shares = Collections.unmodifiableMap(new LinkedHashMap<>(shares));
        maxUsers = Collections.unmodifiableMap(new LinkedHashMap<>(maxUsers));
    }

    /**
     * A plan of per-class rates (a worker's part of its master's plan): the shares follow the
     * rates; classes all at 0 share equally.
     *
     * @throws IllegalArgumentException for a rate that is not a number from 0 to {@link #MAX_RATE}
     */
    public static ArrivalPlan of(Map<String, Double> perSecond, Map<String, Integer> maxUsers, ArrivalDistribution distribution) {
        double total = 0;
        for (Map.Entry<String, Double> e : perSecond.entrySet()) {
            double r = e.getValue();
            if (!(r >= 0 && r <= MAX_RATE)) {
                throw new IllegalArgumentException("the arrival rate " + r + " of " + e.getKey() + " is not between 0 and "
                        + (long) MAX_RATE + " per second");
            }
            total += r;
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : perSecond.entrySet()) {
            shares.put(e.getKey(), total > 0 ? e.getValue() / total : 1.0 / perSecond.size());
        }
        return new ArrivalPlan(Math.min(total, MAX_RATE), shares, maxUsers, distribution);
    }

    /**
     * The open model of {@code classes}, or null when they run as a closed model (no
     * {@code --arrival-rate} and no {@link ArrivalRate}). With {@code arrivalRate}, the classes share
     * it by {@link Weight}; without, each runs at its own {@link ArrivalRate}. {@code maxUsers}
     * ({@code --max-users}) is shared the same way; without it each class has its annotation's
     * most users, else its share of {@link #DEFAULT_MAX_USERS}.
     *
     * @param arrivalRate {@code --arrival-rate}, or null
     * @param maxUsers    {@code --max-users}, or null
     * @throws IllegalArgumentException one line naming the class or annotation that cannot run
     */
    public static ArrivalPlan resolve(List<Class<? extends User>> classes, Double arrivalRate, Integer maxUsers,
                                      ArrivalDistribution distribution) {
        List<Class<? extends User>> annotated = new ArrayList<>();
        for (Class<? extends User> c : classes) {
            if (c.isAnnotationPresent(ArrivalRate.class)) {
                annotated.add(c);
            }
        }
        if (arrivalRate == null && annotated.isEmpty()) {
            return null;
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        Map<String, Integer> ownMax = new LinkedHashMap<>();
        double total;
        if (arrivalRate != null) {
            total = arrivalRate;
            shares = weightShares(classes);
            for (Class<? extends User> c : classes) {
                ArrivalRate a = c.getAnnotation(ArrivalRate.class);
                ownMax.put(c.getSimpleName(), a == null ? 0 : checked(c, a).maxUsers());
            }
        } else {
            for (Class<? extends User> c : classes) {
                if (!annotated.contains(c)) {
                    throw new IllegalArgumentException("User class " + c.getSimpleName() + " has no @ArrivalRate while "
                            + annotated.get(0).getSimpleName() + " has one: give every class an arrival rate, or pass --arrival-rate");
                }
            }
            total = 0;
            for (Class<? extends User> c : classes) {
                total += checked(c, c.getAnnotation(ArrivalRate.class)).perSecond();
            }
            for (Class<? extends User> c : classes) {
                ArrivalRate a = c.getAnnotation(ArrivalRate.class);
                shares.put(c.getSimpleName(), a.perSecond() / total);
                ownMax.put(c.getSimpleName(), a.maxUsers());
            }
            if (total > MAX_RATE) {
                throw new IllegalArgumentException("The user classes' @ArrivalRate add up to " + total + " per second, more than "
                        + (long) MAX_RATE);
            }
        }
        for (Class<? extends User> c : classes) {
            if (UserDispatcher.fixedCountOf(c) > 0) {
                throw new IllegalArgumentException("User class " + c.getSimpleName() + " has @FixedCount, which an open model"
                        + " (an arrival rate) cannot honour: remove it, or run this class in a closed model");
            }
        }
        return new ArrivalPlan(total, shares, maxUsers(shares, ownMax, maxUsers), distribution);
    }

    /** A plan at {@code totalRate} over {@code classes} shared by weight, as {@code --arrival-rate} gives (for a load shape's arrivals). */
    public static ArrivalPlan byWeight(List<Class<? extends User>> classes, double totalRate, Integer maxUsers,
                                       ArrivalDistribution distribution) {
        Map<String, Double> shares = weightShares(classes);
        Map<String, Integer> none = new LinkedHashMap<>();
        shares.keySet().forEach(k -> none.put(k, 0));
        return new ArrivalPlan(totalRate, shares, maxUsers(shares, none, maxUsers), distribution);
    }

    private static ArrivalRate checked(Class<? extends User> c, ArrivalRate a) {
        if (!(a.perSecond() > 0 && a.perSecond() <= MAX_RATE)) {
            throw new IllegalArgumentException("Invalid @ArrivalRate(perSecond = " + a.perSecond() + ") on " + c.getSimpleName()
                    + ": it must be above 0 and at most " + (long) MAX_RATE);
        }
        if (a.maxUsers() < 0 || a.maxUsers() > MAX_USERS) {
            throw new IllegalArgumentException("Invalid @ArrivalRate(maxUsers = " + a.maxUsers() + ") on " + c.getSimpleName()
                    + ": it must be from 1 to " + MAX_USERS + ", or 0 for its share of --max-users");
        }
        return a;
    }

    private static Map<String, Double> weightShares(List<Class<? extends User>> classes) {
        long sum = 0;
        for (Class<? extends User> c : classes) {
            sum += Math.max(0, UserDispatcher.weightOf(c));
        }
        if (sum == 0) {
            throw new IllegalArgumentException("No user class has a weight above 0, so none can share the arrival rate");
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Class<? extends User> c : classes) {
            shares.put(c.getSimpleName(), Math.max(0, UserDispatcher.weightOf(c)) / (double) sum);
        }
        return shares;
    }

    /** Each class's most users: its own (annotation), else its share of {@code total} (or the default), at least 1 where it has a share. */
    private static Map<String, Integer> maxUsers(Map<String, Double> shares, Map<String, Integer> own, Integer total) {
        int pool = total != null ? total : DEFAULT_MAX_USERS;
        Map<String, Double> sharing = new LinkedHashMap<>();
        shares.forEach((name, share) -> {
            if (total != null || own.get(name) == 0) {
                sharing.put(name, share);
            }
        });
        long needing = sharing.values().stream().filter(s -> s > 0).count();
        if (total != null && total < needing) {
            throw new IllegalArgumentException("--max-users " + total + " is fewer than the " + needing
                    + " user classes that share the arrival rate: each needs a user at least");
        }
        Map<String, Integer> split = split(pool, sharing);
        Map<String, Integer> out = new LinkedHashMap<>();
        shares.forEach((name, share) -> out.put(name, split.containsKey(name) ? split.get(name) : own.get(name)));
        return out;
    }

    /**
     * {@code total} shared by {@code weights} (largest remainder), every positive weight getting 1
     * at least when {@code total} allows; weights of 0 get 0.
     */
    public static Map<String, Integer> split(int total, Map<String, Double> weights) {
        double sum = 0;
        int positive = 0;
        for (double w : weights.values()) {
            sum += Math.max(0, w);
            positive += w > 0 ? 1 : 0;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        weights.keySet().forEach(k -> out.put(k, 0));
        if (sum <= 0 || total <= 0) {
            return out;
        }
        int base = total >= positive ? 1 : 0;
        int left = total - base * positive;
        Map<String, Double> remainders = new LinkedHashMap<>();
        int given = 0;
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (e.getValue() <= 0) {
                continue;
            }
            double exact = left * e.getValue() / sum;
            int whole = (int) Math.floor(exact);
            out.put(e.getKey(), base + whole);
            given += whole;
            remainders.put(e.getKey(), exact - whole);
        }
        List<Map.Entry<String, Double>> order = new ArrayList<>(remainders.entrySet());
        order.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < left - given && i < order.size(); i++) {
            out.merge(order.get(i).getKey(), 1, Integer::sum);
        }
        return out;
    }

    /** The iterations per second of {@code userClass} (0 for a class not in the plan). */
    public double perSecond(String userClass) {
        Double share = shares.get(userClass);
        return share == null ? 0 : totalRate * share;
    }

    /** The most users of {@code userClass} (0 for a class not in the plan). */
    public int maxUsers(String userClass) {
        return maxUsers.getOrDefault(userClass, 0);
    }

    /** The most users of every class together. */
    public int totalMaxUsers() {
        long sum = 0;
        for (int m : maxUsers.values()) {
            sum += m;
        }
        return (int) Math.min(Integer.MAX_VALUE, sum);
    }

    /** The same shares and pools at another total rate (a load shape's {@code arrivals}). */
    public ArrivalPlan withTotalRate(double rate) {
        return new ArrivalPlan(rate, shares, maxUsers, distribution);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        shares.keySet().forEach(c -> sb.append(sb.isEmpty() ? "" : ", ").append(c).append(' ')
                .append(formatRate(perSecond(c))).append("/s up to ").append(maxUsers(c)).append(" users"));
        return sb.append(" (").append(distribution.wireName()).append(')').toString();
    }

    /** A rate as a person writes it: {@code 200}, {@code 12.5}. */
    public static String formatRate(double perSecond) {
        if (perSecond == Math.rint(perSecond) && Math.abs(perSecond) < 1e15) {
            return String.valueOf((long) perSecond);
        }
        return String.format(java.util.Locale.ROOT, "%.2f", perSecond).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
