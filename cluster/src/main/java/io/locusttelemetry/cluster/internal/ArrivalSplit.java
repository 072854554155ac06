package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.engine.ArrivalDistribution;
import io.locusttelemetry.engine.ArrivalPlan;
import io.locusttelemetry.engine.process.LimitedLog;
import io.locusttelemetry.protocol.Arrivals;
import io.locusttelemetry.protocol.ReportCheck;
import io.locusttelemetry.protocol.Spawn;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An open model over a cluster. A master shares each class's most users out over the workers that
 * can run an open model (as evenly as whole users allow, the remainders of each class on other
 * workers) and gives each worker the class's rate in proportion to the users it got: a worker's
 * spawn carries its users as {@code user_classes_count} and its rates as {@link Arrivals}. A worker
 * reads them back into its own {@link ArrivalPlan}, refusing impossible values.
 */
public final class ArrivalSplit {
    /** One worker's part: its most users and its iterations per second, by class. */
    public record Part(Map<String, Integer> maxUsers, Map<String, Double> perSecond) {}

    private ArrivalSplit() {}

    /** Each worker's part of {@code plan}, in the order of {@code workers}; empty without workers. */
    public static Map<String, Part> split(ArrivalPlan plan, List<String> workers) {
        Map<String, Part> out = new LinkedHashMap<>();
        int w = workers.size();
        for (String id : workers) {
            out.put(id, new Part(new LinkedHashMap<>(), new LinkedHashMap<>()));
        }
        if (w == 0) {
            return out;
        }
        int classIndex = 0;
        for (String userClass : plan.shares().keySet()) {
            int max = plan.maxUsers(userClass);
            double rate = plan.perSecond(userClass);
            for (int i = 0; i < w; i++) {
                // the remainders start at a different worker for each class, so that no worker gets them all
                int users = max / w + (Math.floorMod(i - classIndex, w) < max % w ? 1 : 0);
                Part part = out.get(workers.get(i));
                part.maxUsers().put(userClass, users);
                part.perSecond().put(userClass, max == 0 ? 0.0 : rate * users / max);
            }
            classIndex++;
        }
        return out;
    }

    /** The spawn key of one worker's part. */
    public static Arrivals toWire(Part part, ArrivalDistribution distribution) {
        return new Arrivals(part.perSecond(), distribution.wireName());
    }

    /**
     * The open model a spawn gives this worker, or null for a closed one. A rate that is not a number
     * from 0 to {@link ArrivalPlan#MAX_RATE} runs as 0 (that class gets no iterations), an unknown
     * distribution as uniform; each is logged (rate-limited).
     *
     * @param maxUsers the spawn's {@code user_classes_count}, the most users of each class (the classes of the plan)
     */
    public static ArrivalPlan fromSpawn(Spawn spawn, Map<String, Integer> maxUsers, LimitedLog log) {
        Arrivals a = spawn.arrivals();
        if (a == null) {
            return null;
        }
        // the classes of user_classes_count, which lists every class: a rate for any other is ignored
        Set<String> classes = new LinkedHashSet<>(maxUsers.keySet());
        Map<String, Double> rates = new LinkedHashMap<>();
        Map<String, Integer> max = new LinkedHashMap<>();
        double total = 0;
        for (String c : classes) {
            double r = a.perSecond().getOrDefault(c, 0.0);
            if (!(r >= 0 && r <= ArrivalPlan.MAX_RATE) || total + r > ArrivalPlan.MAX_RATE) {
                log.error("arrival-rate", "The master's spawn asks {} iterations per second of {}, which this worker cannot run: none"
                        + " of them start", ReportCheck.shorten(r), ReportCheck.shorten(c));
                r = 0;
            }
            total += r;
            rates.put(c, r);
            max.put(c, Math.min(ArrivalPlan.MAX_USERS, Math.max(0, maxUsers.getOrDefault(c, 0))));
        }
        ArrivalDistribution distribution = ArrivalDistribution.UNIFORM;
        try {
            distribution = ArrivalDistribution.parse(a.distribution());
        } catch (IllegalArgumentException e) {
            log.error("arrival-distribution", "The master's spawn asks for the arrival distribution {}, which this worker does not know:"
                    + " uniform it is", ReportCheck.shorten(a.distribution()));
        }
        return ArrivalPlan.of(rates, max, distribution);
    }
}
