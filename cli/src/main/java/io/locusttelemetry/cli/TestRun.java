package io.locusttelemetry.cli;

import io.locusttelemetry.cli.internal.ConsoleOutput;
import io.locusttelemetry.cli.internal.ExitStatus;
import io.locusttelemetry.cli.internal.FinalReport;
import io.locusttelemetry.cli.internal.RunParameters;
import io.locusttelemetry.cli.internal.ThresholdWatch;
import io.locusttelemetry.cli.internal.Verdict;
import io.locusttelemetry.engine.ArrivalPlan;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load test from start to exit status: starts the users (or the load shape), prints the
 * progress and the tables, ends at the run time, when the shape or the workers are done, on
 * {@link #stop()} or on a stop signal; then, exactly once, prints the final tables, writes the
 * reports, flushes the telemetry and computes the exit status.
 *
 * <p>It owns its runner (through a {@link RunnerDriver}), its timers and its shutdown hook, and
 * keeps no static state: several runs may live in one JVM. It never exits the JVM itself; the
 * command passes {@link Builder#exitOnSignal} for that.
 *
 * <pre>{@code
 * TestRun run = TestRun.builder(env, RunnerDriver.local(env), settings).out(System.out).build();
 * int exitCode = run.run();   // start, wait, final reports
 * }</pre>
 */
public final class TestRun implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jlocust");

    private final Environment env;
    private final RunnerDriver driver;
    private final RunSettings settings;
    private final TelemetryWiring telemetry;
    private final String locustfile;
    private final ConsoleOutput console;
    private final IntConsumer exitOnSignal;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Object finishLock = new Object();
    private final ScheduledExecutorService timers;
    private volatile boolean started;
    private volatile boolean finishing;
    private volatile Integer exitCode;
    private volatile RunResult result;
    private volatile ThresholdWatch watch;
    private volatile Instant startedAt = Instant.now();
    private boolean closed;
    private Thread hook;

    private TestRun(Builder b) {
        this.env = b.env;
        this.driver = b.driver;
        this.settings = b.settings;
        this.telemetry = b.telemetry;
        this.locustfile = b.locustfile;
        this.console = new ConsoleOutput(b.out, b.terminal, settings.runTimeSeconds());
        this.exitOnSignal = b.exitOnSignal;
        this.timers = Executors.newScheduledThreadPool(1, NamedThreads.daemon("jlocust-timers"));
    }

    /**
     * @param env      the test's environment, its user classes, host and tags already set
     * @param driver   the runner of the test
     * @param settings the load, reports and exit rules
     */
    public static Builder builder(Environment env, RunnerDriver driver, RunSettings settings) {
        return new Builder(env, driver, settings);
    }

    /** The whole test: {@link #start()}, {@link #awaitExitCode()}, {@link #close()}. */
    public int run() {
        try {
            start();
            return awaitExitCode();
        } finally {
            close();
        }
    }

    /** Starts the test (a master once its workers are there) and its run-time limit. Once. */
    public void start() {
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("the test run was started already");
            }
            started = true;
        }
        installHook();
        startedAt = Instant.now();
        Runner runner = driver.runner();
        if (settings.resetStats()) {
            env.events().spawningComplete.addListener(e -> {
                log.info("Resetting stats");
                env.stats().reset();
                env.events().resetStats.fire(env);
            });
        }
        ArrivalPlan arrivals = env.shape() == null ? env.arrivalPlan() : null;
        if (!settings.json() && arrivals == null) {
            env.events().spawningComplete.addListener(e -> console.progress().done(e.userCount()));
            timers.scheduleAtFixedRate(() -> {
                if (runner.state() == RunnerState.SPAWNING) {
                    console.progress().spawning(runner.userCount(), runner.targetUserCount());
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
        if (!settings.onlySummary()) {
            timers.scheduleAtFixedRate(() -> console.printTable(env.stats().snapshot(), true), 2, 2, TimeUnit.SECONDS);
        }
        recordParameters();
        try {
            if (env.shape() != null) {
                log.info("Starting load test shape {}", env.shape().getClass().getSimpleName());
                driver.startShape();
            } else if (arrivals != null) {
                driver.startArrivals(arrivals);
            } else {
                driver.start(settings.users(), settings.spawnRate());
            }
        } catch (RuntimeException e) {
            if (finishing) {
                return; // stopped while it started (e.g. a signal while the master waited for workers)
            }
            throw e;
        }
        if (!settings.checks().thresholds().isEmpty()) {
            ThresholdWatch w = new ThresholdWatch(settings.checks().thresholds(), env.stats()::snapshot, runner::quit, System::nanoTime);
            watch = w;
            timers.scheduleAtFixedRate(w::check, ThresholdWatch.INTERVAL_SECONDS, ThresholdWatch.INTERVAL_SECONDS, TimeUnit.SECONDS);
        }
        if (settings.runTimeSeconds() > 0) {
            log.info("Run time limit set to {} seconds", settings.runTimeSeconds());
            timers.schedule(() -> {
                log.info("--run-time limit reached, shutting down");
                runner.quit();
            }, settings.runTimeSeconds(), TimeUnit.SECONDS);
        }
    }

    private void recordParameters() {
        parameters.putAll(RunParameters.of(env, locustfile, settings.host(), settings.users(), settings.spawnRate(),
                settings.runTimeSeconds()));
    }

    private void installHook() {
        if (exitOnSignal == null) {
            return;
        }
        hook = NamedThreads.shutdownHook("jlocust-shutdown", () -> {
            log.info("Got a stop signal, shutting down");
            int code = finish();
            close();
            exitOnSignal.accept(code);
        });
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Waits until the test ended (run time, shape, workers, {@link #stop()}), then {@link #finish()}es it. */
    public int awaitExitCode() {
        driver.awaitQuit();
        return finish();
    }

    /** Ends the test from any thread: the runner quits, {@link #awaitExitCode()} returns. */
    public void stop() {
        finishing = true;
        driver.runner().quit();
    }

    /**
     * Ends the test if it still runs, then once: the final tables, the reports, the telemetry flush
     * and the exit status. A second caller (the main thread and the shutdown hook) waits for the
     * first and gets the same code.
     */
    public int finish() {
        finishing = true;
        synchronized (finishLock) {
            if (exitCode != null) {
                return exitCode;
            }
            Runner runner = driver.runner();
            runner.quit();
            // final once the runner quit; judged before quitting, so that telemetry records the outcome
            boolean allSeconds = settings.json() || settings.checks().jsonFile() != null;
            StatsSnapshot stats = allSeconds ? env.stats().fullSnapshot() : env.stats().snapshot();
            ThresholdWatch w = watch;
            Verdict verdict = Verdict.of(settings.checks().thresholds(), w == null ? null : w.abortedBy(), settings.checks().baseline(),
                    settings.checks().maxRegression(), stats);
            if (!verdict.thresholds().isEmpty()) {
                env.events().thresholds.fire(new Events.ThresholdResults(verdict.thresholds(), verdict.abortedBy()));
            }
            env.events().quitting.fire(env);
            if (telemetry != null) {
                parameters.putAll(telemetry.reportParameters());
            }
            Instant ended = Instant.now();
            parameters.put("Ended", RunParameters.TIME.format(ended));
            List<Runner.ExceptionRecord> exceptions = runner.exceptions();
            FinalReport.Run run = new FinalReport.Run(stats, env.statsHistory().points(), exceptions,
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters)), verdict,
                    startedAt, ended);
            List<String> reportFailures = FinalReport.write(console, settings, run);
            List<String> failedChecks = new ArrayList<>();
            int code = ExitStatus.of(settings, stats, exceptions, env.hadListenerError(), reportFailures, verdict, failedChecks);
            for (String f : failedChecks) {
                log.error("CHECK FAILED: {}", f);
            }
            if (telemetry != null) {
                telemetry.flush();
            }
            result = new RunResult(code, run, settings.checks(), failedChecks, reportFailures);
            log.info("Shutting down (exit code {})", code);
            exitCode = code;
            return code;
        }
    }

    /** What the run measured and how it was judged, once {@link #finish()} computed it. */
    public Optional<RunResult> result() {
        return Optional.ofNullable(result);
    }

    /** The exit status, once {@link #finish()} computed it. */
    public OptionalInt exitCode() {
        Integer c = exitCode;
        return c == null ? OptionalInt.empty() : OptionalInt.of(c);
    }

    /**
     * Lets go of the timers, the shutdown hook and the driver. A test that did not finish (it failed
     * to start) is quit and its telemetry flushed, without reports.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        timers.shutdownNow();
        if (exitCode == null) {
            finishing = true;
            driver.runner().quit();
            env.events().quitting.fire(env);
            if (telemetry != null) {
                telemetry.flush();
            }
        }
        driver.close();
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs or ran
            }
        }
    }

    /** Builds a {@link TestRun}. */
    public static final class Builder {
        private final Environment env;
        private final RunnerDriver driver;
        private final RunSettings settings;
        private TelemetryWiring telemetry;
        private String locustfile = "";
        private PrintStream out = System.out;
        private boolean terminal;
        private IntConsumer exitOnSignal;

        private Builder(Environment env, RunnerDriver driver, RunSettings settings) {
            this.env = Objects.requireNonNull(env, "env");
            this.driver = Objects.requireNonNull(driver, "driver");
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** Where the progress line and the tables go (default {@code System.out}). */
        public Builder out(PrintStream out, boolean terminal) {
            this.out = Objects.requireNonNull(out, "out");
            this.terminal = terminal;
            return this;
        }

        /** The telemetry plugins wired to the environment: report parameters, flushed at the end. */
        public Builder telemetry(TelemetryWiring telemetry) {
            this.telemetry = telemetry;
            return this;
        }

        /** Where the user classes came from, for the HTML report. */
        public Builder locustfile(String source) {
            this.locustfile = source == null ? "" : source;
            return this;
        }

        /**
         * Installs a JVM shutdown hook while the test runs: a stop signal (SIGTERM, SIGINT) ends the
         * test as a normal end does (final tables, reports, telemetry flush), then {@code exit} gets
         * the run's exit code. The command halts the JVM with it, so that the process's status is
         * the run's and not 128 + the signal. Without it, no hook is installed.
         */
        public Builder exitOnSignal(IntConsumer exit) {
            this.exitOnSignal = exit;
            return this;
        }

        public TestRun build() {
            return new TestRun(this);
        }
    }
}
