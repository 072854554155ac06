package io.locusttelemetry.engine;

import io.locusttelemetry.engine.process.NamedThreads;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a test in this process: users spawned at the spawn rate, each on a virtual thread.
 */
public final class LocalRunner extends AbstractRunner {
    private static final Logger log = LoggerFactory.getLogger(LocalRunner.class);

    private final CompletableFuture<Void> quitted = new CompletableFuture<>();
    private volatile Thread spawner;
    private volatile int targetUsers;
    /** Completes when the stop under way is done. */
    private volatile CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);

    LocalRunner(Environment environment) {
        super(environment);
    }

    @Override
    public Role role() {
        return Role.LOCAL;
    }

    @Override
    public String sourceId() {
        return "local";
    }

    @Override
    public int targetUserCount() {
        return targetUsers;
    }

    @Override
    public synchronized void start(int userCount, double spawnRate) {
        if (userCount < 0) {
            throw new IllegalArgumentException("user count must not be negative");
        }
        if (spawnRate <= 0) {
            throw new IllegalArgumentException("spawn rate must be above 0");
        }
        if (state == RunnerState.STOPPING || state == RunnerState.CLEANUP) {
            throw new IllegalStateException("cannot start while " + state.wireName());
        }
        if (state != RunnerState.RUNNING && state != RunnerState.SPAWNING) {
            environment.stats().reset();
            environment.statsHistory().clear();
            clearExceptions();
            targetUsers = userCount;
            environment.events().testStart.fire(environment);
        }
        Thread previous = spawner;
        if (previous != null) {
            previous.interrupt();
        }
        targetUsers = userCount;
        state = RunnerState.SPAWNING;
        UserDispatcher dispatcher = dispatcher();
        Thread t = NamedThreads.newDaemon("spawner", () -> {
            // the previous ramp must have ended before this one counts the users it starts from
            joinSpawner(previous);
            if (!Thread.currentThread().isInterrupted()) {
                spawn(dispatcher, userCount, spawnRate);
            }
        });
        spawner = t;
        t.start();
    }

    /**
     * Waits for a spawner thread that was told to stop, even when interrupted meanwhile (so waiting
     * for the latest spawner also waits for the ones before it); keeps the interrupt status.
     */
    private static void joinSpawner(Thread spawner) {
        if (spawner == null || spawner == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                spawner.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void spawn(UserDispatcher dispatcher, int target, double rate) {
        int current = userCount();
        long start = System.nanoTime();
        int done = 0;
        int steps = Math.abs(target - current);
        log.info("Ramping to {} users at a rate of {} per second", target, formatRate(rate));
        try {
            while (done < steps) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                int due = Math.min(steps, (int) Math.floor(elapsed * rate) + 1);
                if (due > done) {
                    int next = target > current ? current + due : current - due;
                    applyUserCounts(dispatcher.counts(next));
                    done = due;
                }
                if (done < steps) {
                    double nextAt = (done) / rate;
                    long sleepNanos = (long) ((nextAt - (System.nanoTime() - start) / 1e9) * 1e9);
                    if (sleepNanos > 0) {
                        Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
                    }
                }
            }
            applyUserCounts(dispatcher.counts(target));
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException e) {
            log.error("spawning users failed: {}", e.getMessage(), e);
            synchronized (this) {
                if (spawner == Thread.currentThread()) {
                    state = RunnerState.RUNNING;
                }
            }
            throw e;
        }
        synchronized (this) {
            if (spawner != Thread.currentThread() || state != RunnerState.SPAWNING) {
                return;
            }
            state = RunnerState.RUNNING;
        }
        log.info("All users spawned: {} ({} total users)", formatCounts(userClassesCount()), userCount());
        environment.events().spawningComplete.fire(new Events.SpawningComplete(userCount()));
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }

    private static String formatCounts(Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder("{");
        counts.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
        return sb.append('}').toString();
    }

    /**
     * Stops the test: every user (see {@link #stopAllUsers()}), then {@code test_stop}. A second
     * caller while a stop is under way (a stop signal at the end of the run time) returns when it is done.
     */
    @Override
    public void stop() {
        Thread ramp;
        CompletableFuture<Void> done;
        synchronized (this) {
            if (state == RunnerState.STOPPING) {
                done = null;
                ramp = null;
            } else if (state == RunnerState.STOPPED || state == RunnerState.READY && userCount() == 0) {
                if (state == RunnerState.READY) {
                    state = RunnerState.STOPPED;
                }
                return;
            } else {
                ramp = spawner;
                spawner = null;
                if (ramp != null) {
                    ramp.interrupt();
                }
                stopShape();
                state = RunnerState.STOPPING;
                stopped = new CompletableFuture<>();
                done = stopped;
            }
        }
        if (done == null) {
            // outside the lock: the stop under way may need it (its ramp ends under it)
            awaitStop(stopped);
            return;
        }
        try {
            environment.events().testStopping.fire(environment);
            // a ramp still starting users would otherwise add some after they were all stopped
            joinSpawner(ramp);
            stopAllUsers();
            targetUsers = 0;
            state = RunnerState.STOPPED;
            environment.events().testStop.fire(environment);
        } finally {
            done.complete(null);
        }
    }

    /** Waits for the stop under way; an interrupt ends the wait. */
    private static void awaitStop(CompletableFuture<Void> stop) {
        try {
            stop.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // cannot happen: the stop under way completes it normally
        }
    }

    @Override
    public void quit() {
        stop();
        shutdownScheduler();
        quitted.complete(null);
    }

    /** Completes when {@link #quit()} has finished. */
    public CompletableFuture<Void> quitted() {
        return quitted;
    }

    @Override
    public void sendMessage(String type, Object data) {
        if (!dispatchCustomMessage(new CustomMessage(type, data, "local"))) {
            log.debug("Unknown message type received: {}", type);
        }
    }

    @Override
    public void sendMessage(String type, Object data, String clientId) {
        sendMessage(type, data);
    }

    /** The user classes this runner was given. */
    public List<Class<? extends User>> userClasses() {
        return environment.userClasses();
    }
}
