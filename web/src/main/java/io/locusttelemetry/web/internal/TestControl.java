package io.locusttelemetry.web.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.UserDispatcher;
import io.locusttelemetry.engine.process.NamedThreads;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, edits, stops and resets tests on one runner for the web UI and Locust's API, as Locust's
 * web UI does: a swarm while a test runs changes its user count and spawn rate (the runner ramps up
 * or down), a run time stops the test (the runner and the UI stay for the next one).
 */
public final class TestControl implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jlocust.web");

    private final Environment env;
    private final Consumer<io.locusttelemetry.engine.ParsedOptions> optionsCheck;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("web-run-time"));
    private ScheduledFuture<?> stopAt;
    private volatile Long runTimeSeconds;
    private volatile long testStartedMillis;
    private volatile long testStoppedMillis;
    private volatile Map<String, Integer> weights;

    /** @param optionsCheck checks the options a swarm sets (the telemetry's), throwing a one-line message */
    public TestControl(Environment env, Consumer<io.locusttelemetry.engine.ParsedOptions> optionsCheck) {
        this.env = env;
        this.optionsCheck = optionsCheck;
        this.weights = declaredWeights(env);
        env.events().testStart.addListener(e -> {
            testStartedMillis = System.currentTimeMillis();
            testStoppedMillis = 0;
        });
        env.events().testStop.addListener(e -> testStoppedMillis = System.currentTimeMillis());
    }

    /** Every user class of the environment by name, with its declared weight (its fixed count for a fixed-count class). */
    public static Map<String, Integer> declaredWeights(Environment env) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Class<? extends User> c : env.userClasses()) {
            int fixed = UserDispatcher.fixedCountOf(c);
            out.put(c.getSimpleName(), fixed > 0 ? fixed : UserDispatcher.weightOf(c));
        }
        return out;
    }

    private Runner runner() {
        return env.runner();
    }

    /**
     * Starts a test, or changes the running one's users and spawn rate.
     *
     * @return the message for Locust's {@code /swarm} answer
     * @throws BadRequest for what the form cannot do
     * @throws Conflict   when the runner cannot do it now (no workers yet, other classes running, stopping)
     */
    public synchronized String swarm(Swarm s) {
        Runner runner = runner();
        boolean active = isActive(runner.state());
        try {
            optionsCheck.accept(s.options());
        } catch (RuntimeException e) {
            throw new BadRequest(e.getMessage());
        }
        if (runner.role() == Runner.Role.MASTER && runner.workers().stream().noneMatch(w -> !"missing".equals(w.state()))) {
            throw new Conflict("No worker has connected yet: start the workers (--worker --master-host ...), then swarm");
        }
        if (runner.state() == RunnerState.STOPPING || runner.state() == RunnerState.CLEANUP) {
            throw new Conflict("The test is stopping; swarm again once it has stopped");
        }
        if (!active) {
            // as Locust keeps them in parsed_options: what the test runs with (the reports read them)
            io.locusttelemetry.engine.ParsedOptions o = s.options();
            if (s.users() != null && s.spawnRate() != null && env.shape() == null) {
                o = o.with("num_users", s.users()).with("spawn_rate", s.spawnRate());
            }
            env.parsedOptions(o.with("run_time", s.runTimeSeconds() == null ? null : io.locusttelemetry.engine.Timespan.format(s.runTimeSeconds())));
            if (s.host() != null) {
                env.host(s.host());
            }
        }
        if (env.shape() != null) {
            if (!active) {
                runner.startShape();
            }
            scheduleStop(s.runTimeSeconds());
            return "Swarming started using shape class '" + env.shape().getClass().getSimpleName() + "'";
        }
        if (s.users() == null || s.spawnRate() == null) {
            throw new BadRequest("Missing user_count or spawn_rate from /swarm request");
        }
        Map<String, Integer> chosen = s.weights() != null ? s.weights() : active ? weights : declaredWeights(env);
        try {
            runner.start(s.users(), s.spawnRate(), chosen);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw new Conflict(e.getMessage());
        }
        weights = chosen;
        if (!active || s.runTimeSeconds() != null) {
            scheduleStop(s.runTimeSeconds());
        }
        return active ? "Test changed to " + s.users() + " users at " + s.spawnRate() + " per second" : "Swarming started";
    }

    private void scheduleStop(Long seconds) {
        if (stopAt != null) {
            stopAt.cancel(false);
            stopAt = null;
        }
        runTimeSeconds = seconds;
        if (seconds != null) {
            log.info("Run time limit set to {} seconds", seconds);
            stopAt = timer.schedule(() -> {
                log.info("--run-time limit reached, stopping test");
                stop();
            }, seconds, TimeUnit.SECONDS);
        }
    }

    /** Stops the test; the runner stays for the next one. */
    public void stop() {
        synchronized (this) {
            if (stopAt != null) {
                stopAt.cancel(false);
                stopAt = null;
            }
        }
        runner().stop();
    }

    /** Resets the statistics and exceptions of the test; its users keep running. */
    public void resetStats() {
        runner().resetStats();
    }

    /** The user classes of the current (or last) test, with their weights. */
    public Map<String, Integer> weights() {
        return weights;
    }

    /** The run time of the current test in seconds, or null for none. */
    public Long runTimeSeconds() {
        return runTimeSeconds;
    }

    /** When the current (or last) test started, epoch ms; 0 before the first. */
    public long testStartedMillis() {
        return testStartedMillis;
    }

    /** When the last test stopped, epoch ms; 0 while one runs (or before the first). */
    public long testStoppedMillis() {
        return testStoppedMillis;
    }

    static boolean isActive(RunnerState s) {
        return s == RunnerState.SPAWNING || s == RunnerState.RUNNING;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** A swarm the runner cannot do now: 409 with this message. */
    public static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Conflict(String message) {
            super(message, null, false, false);
        }
    }
}
