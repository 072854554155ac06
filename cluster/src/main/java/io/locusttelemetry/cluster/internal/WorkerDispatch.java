package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.cluster.MasterRunner;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.engine.UserDispatcher;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.protocol.MasterServer;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.Spawn;
import io.locusttelemetry.protocol.SpawningComplete;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a master hands its users to its workers: the ramp (steps of {@code max(1, floor(rate))} users
 * every {@code step / rate} seconds, sent as absolute per-class counts per worker, from the
 * {@link UserDispatcher}), the redistribution when the worker list changes during a test, and the
 * {@code test_start} broadcasts that a worker joining later receives before its first {@code spawn}.
 *
 * <p>It scales to thousands of workers: a worker is sent a {@code spawn} only when its counts
 * change (a worker that joins, heals or leaves moves a few users, so the others hear nothing),
 * and changes of the worker list within {@value #REBALANCE_DELAY_MS} ms are redistributed once
 * (a thousand workers joining a running test cost one round of messages, not a thousand).
 *
 * <p>Locking: every field is guarded by the master's test lock, given at construction, which also
 * guards the master's {@link RunnerState} changes; each method takes it itself, the ramp thread
 * too. Under it the dispatch calls only the {@link WorkerRegistry} (a leaf lock) and
 * {@link MasterServer#send}, which encodes and queues and never blocks: sending under the lock
 * keeps a test's {@code spawn}, {@code stop} and {@code quit} messages in the order the test went
 * through them. Listeners are called after the lock is released.
 */
public final class WorkerDispatch {
    private static final Logger log = LoggerFactory.getLogger(MasterRunner.class);
    static final Duration WAIT_FOR_REPORTS_AFTER_RAMP_UP = Duration.ofSeconds(1);
    static final long REBALANCE_DELAY_MS = 100;

    /** What the dispatch reads of (and reports to) its master's test. */
    public interface Test {
        /** The master's state; only changed with the test lock held. */
        RunnerState state();

        /** The ramp reached its target: the master moves from spawning to running (called with the test lock held). */
        void running();

        boolean quitting();
    }

    private record Broadcast(String type, Object data) {}

    private final Object lock;
    private final Test test;
    private final Environment environment;
    private final WorkerRegistry registry;
    /** The runner's current choice of user classes (a web UI may choose others between tests). */
    private final java.util.function.Supplier<UserDispatcher> dispatcher;
    private final MasterServer server;
    private final UserClassCheck classes;
    private final ScheduledExecutorService timers;
    private final List<Broadcast> testBroadcasts = new ArrayList<>();
    /** What each worker was last sent in this test: it hears again only when that changes. */
    private final Map<String, Map<String, Integer>> sent = new HashMap<>();
    private boolean rebalanceScheduled;
    private boolean capturingBroadcasts;
    private boolean open;
    private int generation;
    private Thread rampThread;
    private int dispatchedUsers;
    private double lastSpawnTimestamp;

    public WorkerDispatch(Object testLock, Test test, Environment environment, WorkerRegistry registry,
            java.util.function.Supplier<UserDispatcher> dispatcher,
            MasterServer server, UserClassCheck classes, ScheduledExecutorService timers) {
        this.classes = classes;
        this.timers = timers;
        this.lock = testLock;
        this.test = test;
        this.environment = environment;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.server = server;
    }

    /** A new test begins: nothing dispatched, nothing broadcast yet. */
    public void newTest() {
        synchronized (lock) {
            dispatchedUsers = 0;
            open = false;
            testBroadcasts.clear();
            sent.clear();
        }
    }

    /** While on ({@code test_start} listeners run), broadcasts are kept for workers that join later. */
    public void captureBroadcasts(boolean on) {
        synchronized (lock) {
            capturingBroadcasts = on;
        }
    }

    /** A custom message for every worker: keeps it if it is a {@code test_start} broadcast; returns whom to send it to. */
    public List<String> broadcast(String type, Object data) {
        synchronized (lock) {
            if (capturingBroadcasts) {
                testBroadcasts.add(new Broadcast(type, data));
            }
            return registry.ids();
        }
    }

    /** Ramps from the users dispatched so far to {@code target}, on a thread of its own; false when the test ended meanwhile. */
    public boolean rampTo(int target, double rate) {
        synchronized (lock) {
            if (!active(test.state())) {
                return false;
            }
            open = true;
            int gen = ++generation;
            if (rampThread != null) {
                rampThread.interrupt();
            }
            log.info("Sending spawn jobs of {} users at {} spawn rate to {} ready workers", target, formatRate(rate),
                    registry.activeCount());
            rampThread = NamedThreads.newDaemon("master-dispatch", () -> ramp(gen, target, rate));
            rampThread.start();
            return true;
        }
    }

    /** Stops dispatching (stop or quit): the ramp ends and no worker change redistributes. */
    public void cancel() {
        synchronized (lock) {
            generation++;
            if (rampThread != null) {
                rampThread.interrupt();
            }
            open = false;
            dispatchedUsers = 0;
            sent.clear();
        }
    }

    /** Takes in a worker that sent {@code client_ready}; during a test it gets the test_start broadcasts, then its share. */
    public void admit(String id, int index, Object version) {
        synchronized (lock) {
            registry.register(id, index, version);
            // it starts afresh (as a Locust worker does on client_ready): whatever it was sent before is gone
            sent.remove(id);
            if (open && active(test.state())) {
                for (Broadcast b : testBroadcasts) {
                    server.send(new Message(b.type(), b.data(), id));
                }
                rebalance();
            }
        }
    }

    /**
     * Redistributes the dispatched users over the current workers (one joined, healed or left),
     * {@value #REBALANCE_DELAY_MS} ms from the first change, so changes that come together go out once.
     */
    public void rebalance() {
        synchronized (lock) {
            if (!open || !active(test.state()) || test.quitting() || rebalanceScheduled) {
                return;
            }
            rebalanceScheduled = true;
            int gen = generation;
            try {
                timers.schedule(() -> rebalanceNow(gen), REBALANCE_DELAY_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                rebalanceScheduled = false; // the master is shutting down
            }
        }
    }

    private void rebalanceNow(int gen) {
        synchronized (lock) {
            rebalanceScheduled = false;
            // a ramp started meanwhile distributes by itself; a stop or quit ended the test
            if (gen == generation && open && active(test.state()) && !test.quitting()) {
                sendDistribution(dispatchedUsers);
            }
        }
    }

    /**
     * A worker quit or went missing: redistributes during a test.
     *
     * @return true when that was the last one during a test, which then has to stop
     */
    public boolean workersLeft() {
        synchronized (lock) {
            if (!active(test.state())) {
                return false;
            }
            if (registry.activeCount() == 0) {
                return true;
            }
            rebalance();
            return false;
        }
    }

    private static boolean active(RunnerState state) {
        return state == RunnerState.SPAWNING || state == RunnerState.RUNNING;
    }

    private void ramp(int gen, int target, double rate) {
        int perStep = (int) Math.max(1, Math.floor(rate));
        long pauseNanos = (long) (perStep / rate * 1e9);
        try {
            while (true) {
                int next;
                synchronized (lock) {
                    if (gen != generation) {
                        return;
                    }
                    int current = dispatchedUsers;
                    next = current < target ? Math.min(target, current + perStep)
                            : current > target ? Math.max(target, current - perStep) : target;
                    sendDistribution(next);
                }
                if (next == target) {
                    break;
                }
                Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
            }
            long deadline = System.nanoTime() + WAIT_FOR_REPORTS_AFTER_RAMP_UP.toNanos();
            while (System.nanoTime() < deadline && registry.userCount() != target) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            return;
        }
        int users;
        Map<String, Integer> counts;
        List<String> listening;
        synchronized (lock) {
            if (gen != generation || test.state() != RunnerState.SPAWNING) {
                return;
            }
            test.running();
            users = registry.userCount();
            counts = registry.userClassesCount(dispatcher.get().classNames());
            listening = registry.activeIdsAwaitingSpawningComplete();
        }
        log.info("All users spawned: {} ({} total users)", counts, users);
        for (String id : listening) {
            server.send(id, SpawningComplete.broadcast(users));
        }
        environment.events().spawningComplete.fire(new Events.SpawningComplete(users));
    }

    /** Sends every active worker its absolute targets for {@code total} users; caller holds the lock. */
    private void sendDistribution(int total) {
        dispatchedUsers = total;
        List<String> ids = registry.activeIds();
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Map<String, Integer>> targets = dispatcher.get().distribute(total, ids);
        double now = System.currentTimeMillis() / 1000.0;
        double timestamp = now > lastSpawnTimestamp ? now : Math.nextUp(lastSpawnTimestamp);
        lastSpawnTimestamp = timestamp;
        Map<String, Object> options = null;
        Double stopTimeout = environment.stopTimeout();
        for (Map.Entry<String, Map<String, Integer>> e : targets.entrySet()) {
            classes.given(e.getKey(), e.getValue());
            if (e.getValue().equals(sent.put(e.getKey(), e.getValue()))) {
                continue; // its users stay as they are
            }
            if (options == null) {
                options = new LinkedHashMap<>();
                for (Map.Entry<String, Object> o : environment.parsedOptions().asMap().entrySet()) {
                    options.put(o.getKey(), CustomMessage.normalize(o.getValue()));
                }
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            e.getValue().forEach((k, v) -> counts.put(k, (long) v));
            Spawn spawn = new Spawn(timestamp, counts, environment.host(), stopTimeout, options);
            // the spawn's read-only copy of the options serves every later spawn of this round as it is
            options = spawn.parsedOptions();
            server.send(e.getKey(), spawn);
        }
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }
}
