package io.locusttelemetry.engine;

import io.locusttelemetry.engine.internal.ArrivalSchedule;
import io.locusttelemetry.engine.internal.ArrivalSlot;
import io.locusttelemetry.engine.internal.TaskModel;
import io.locusttelemetry.engine.stats.IterationStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of a runner's open model: a pool per user class, fed by the class's
 * {@link ArrivalSchedule}. A pool grows one user at a time when an iteration finds none free, each
 * user on its own virtual thread (made there, so that its constructor never runs on the timer
 * thread), and shrinks when a new plan gives it fewer users. Guarded by its own monitor for plan
 * changes and stops; users and the timer thread never take it.
 */
final class ArrivalPools {
    private static final Logger log = LoggerFactory.getLogger(ArrivalPools.class);

    private final Environment environment;
    private final CreationFailures creationFailures;
    private final Consumer<User> onExit;
    private final Map<String, Pool> pools = new LinkedHashMap<>();
    private volatile ArrivalPlan plan;

    ArrivalPools(Environment environment, CreationFailures creationFailures, Consumer<User> onExit) {
        this.environment = environment;
        this.creationFailures = creationFailures;
        this.onExit = onExit;
    }

    /** The plan the pools follow, or null when none runs. */
    ArrivalPlan plan() {
        return plan;
    }

    /**
     * Follows {@code next}: new classes start at once (their first iteration is due now), known
     * ones take their new rate and size, classes left out stop getting iterations and their users end.
     *
     * @return the classes of the plan with a rate that this runner does not have (none of their iterations run)
     */
    synchronized List<String> apply(ArrivalPlan next, Map<String, Class<? extends User>> classesByName, String host) {
        List<String> unknown = new ArrayList<>();
        for (String name : next.shares().keySet()) {
            Class<? extends User> c = classesByName.get(name);
            double rate = next.perSecond(name);
            int max = next.maxUsers(name);
            Pool pool = pools.get(name);
            if (c == null) {
                if (rate > 0) {
                    unknown.add(name);
                }
            } else if (pool == null) {
                pool = new Pool(c, host, rate, max, next.distribution() == ArrivalDistribution.POISSON);
                pools.put(name, pool);
                pool.schedule.start();
            } else {
                pool.schedule.retune(rate, max);
            }
        }
        for (Map.Entry<String, Pool> e : pools.entrySet()) {
            if (!next.shares().containsKey(e.getKey())) {
                e.getValue().schedule.retune(0, 0);
            }
        }
        if (!next.equals(plan)) {
            log.info("Arrival rate: {}", next);
        }
        plan = next;
        return unknown;
    }

    /**
     * Stops every pool: no more iterations. Returns the pools' users, for the runner to stop as it
     * stops its other users (busy ones get the stop timeout to finish their iteration).
     */
    List<User> detach() {
        List<User> stopping = new ArrayList<>();
        synchronized (this) {
            for (Pool p : pools.values()) {
                p.schedule.stop();
            }
            for (Pool p : pools.values()) {
                stopping.addAll(p.users);
            }
            pools.clear();
            plan = null;
        }
        return stopping;
    }

    /** Users running now, every class. */
    int userCount() {
        int n = 0;
        for (Pool p : snapshot()) {
            n += p.live.get();
        }
        return n;
    }

    /** Users running now per class name (only classes with a pool). */
    Map<String, Integer> userClassesCount() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Pool p : snapshot()) {
            out.put(p.name, p.live.get());
        }
        return out;
    }

    private synchronized List<Pool> snapshot() {
        return new ArrayList<>(pools.values());
    }

    /** One class's users. */
    private final class Pool implements ArrivalSchedule.Pool {
        final Class<? extends User> userClass;
        final String name;
        final String host;
        final TaskModel model;
        final ArrivalSchedule schedule;
        final ConcurrentLinkedDeque<User> users = new ConcurrentLinkedDeque<>();
        final AtomicInteger live = new AtomicInteger();
        private volatile boolean waitTimeWarned;
        /** Touched by the timer thread only. */
        private long sequence;

        Pool(Class<? extends User> userClass, String host, double rate, int maxUsers, boolean poisson) {
            this.userClass = userClass;
            this.name = userClass.getSimpleName();
            this.host = UserClasses.host(userClass, host);
            this.model = TaskModel.of(userClass, environment.tags(), environment.excludeTags());
            this.schedule = new ArrivalSchedule(this, rate, maxUsers, poisson);
        }

        @Override
        public void grow(long intendedStart) {
            Thread.ofVirtual().name(name + "-" + sequence++).start(() -> run(intendedStart));
        }

        @Override
        public IterationStats.Counter counter() {
            return environment.stats().iterations().counter(name);
        }

        private void run(long intendedStart) {
            User user;
            try {
                user = UserClasses.newUser(userClass);
            } catch (IllegalStateException e) {
                // its place stays taken: a class that cannot be made drops iterations instead of making a thread for each
                creationFailures.report(environment, userClass, e);
                return;
            }
            user.attach(environment, host, model);
            user.openModel = true;
            if (user.waitTime() != null && !waitTimeWarned) {
                waitTimeWarned = true;
                log.warn("{} has a wait time, which its arrival rate ignores: in an open model each iteration is one task,"
                        + " started at the rate", name);
            }
            users.add(user);
            live.incrementAndGet();
            try {
                if (schedule.isStopped()) {
                    return;
                }
                user.runIterations(new ArrivalSlot(), schedule, intendedStart);
            } finally {
                users.remove(user);
                live.decrementAndGet();
                onExit.accept(user);
            }
        }
    }
}
