package io.locusttelemetry.engine;

import io.locusttelemetry.engine.stats.IterationSnapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second, whether an open model's classes drop iterations: when a class starts to (it had
 * none dropped the second before), one warning line saying that the pool's most users, not the
 * system under test, limit the load, and {@link Events#iterationsDropped}. On a master the counts
 * are its workers'.
 */
final class DropWatch {
    private static final Logger log = LoggerFactory.getLogger("jlocust");

    private Map<String, Long> last = new HashMap<>();
    private final Set<String> dropping = new HashSet<>();

    synchronized void check(Environment environment, Runner runner) {
        IterationSnapshot now = environment.stats().iterations().snapshot();
        if (now.byClass().isEmpty() && last.isEmpty()) {
            return;
        }
        Map<String, Long> seen = new HashMap<>();
        now.byClass().forEach((userClass, counts) -> {
            long dropped = counts.dropped();
            long before = last.getOrDefault(userClass, 0L);
            long delta = dropped - (before <= dropped ? before : 0);
            seen.put(userClass, dropped);
            if (delta <= 0) {
                dropping.remove(userClass);
            } else if (dropping.add(userClass)) {
                ArrivalPlan plan = runner.arrivalPlan();
                int max = plan == null ? 0 : plan.maxUsers(userClass);
                int users = runner.userClassesCount().getOrDefault(userClass, 0);
                log.warn("Dropping iterations of {} ({} in the last second): its {} users are all busy and it may have at most {}"
                        + " (--max-users); the generator's user limit holds the arrival rate back now, not the system under test",
                        userClass, delta, users, max);
                environment.events().iterationsDropped.fire(new Events.IterationsDropped(userClass, delta, users, max,
                        System.currentTimeMillis()));
            }
        });
        last = seen;
    }
}
