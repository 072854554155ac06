package io.locusttelemetry.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.locusttelemetry.cli.internal.CliException;
import io.locusttelemetry.cli.internal.ConsoleOutput;
import io.locusttelemetry.cli.internal.ExitStatus;
import io.locusttelemetry.cli.internal.FinalReport;
import io.locusttelemetry.cli.internal.RunParameters;
import io.locusttelemetry.cli.internal.Verdict;
import io.locusttelemetry.cli.internal.WebReports;
import io.locusttelemetry.cluster.MasterRunner;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.web.LogTail;
import io.locusttelemetry.web.WebSettings;
import io.locusttelemetry.web.WebUi;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interactive mode, Locust's default: the web UI serves, tests start from the browser (or at
 * once with {@code --autostart}) and stop from it, at their run time or at the end of their load
 * shape, as often as wanted on the same runner. At each test's end the final tables are printed and
 * {@code --csv}/{@code --html} written for it; the process ends on Ctrl-C or SIGTERM, or
 * {@code --autoquit} seconds after an autostarted test ended, with the exit status of the last test.
 */
final class WebRun {
    private static final Logger log = LoggerFactory.getLogger("jlocust");

    private final Environment env;
    private final RunnerDriver driver;
    private final RunSettings settings;
    private final TelemetryWiring telemetry;
    private final WebSettings web;
    private final ConsoleOutput console;
    private final IntConsumer exitOnSignal;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("jlocust-web-run"));
    private final CompletableFuture<Void> quitRequested = new CompletableFuture<>();
    private final Object finishLock = new Object();
    private volatile Map<String, String> parameters = new LinkedHashMap<>();
    private volatile List<String> reportFailures = List.of();
    /** How the last test that ended held its thresholds: its exit status is the process's. */
    private volatile Verdict verdict = Verdict.none();
    private volatile Instant testStarted = Instant.now();
    private volatile java.util.concurrent.ScheduledFuture<?> pendingReport;
    private Integer exitCode;

    /** What the command line says about the interactive run. */
    record Options(boolean autostart, int autoquit, String locustfile, List<OptionSpec> formOptions, boolean printStats) {}

    private final Options options;

    WebRun(Environment env, RunnerDriver driver, RunSettings settings, TelemetryWiring telemetry, WebSettings web, Options options,
            PrintStream out, boolean terminal, IntConsumer exitOnSignal) {
        this.env = env;
        this.driver = driver;
        this.settings = settings;
        this.telemetry = telemetry;
        this.web = web;
        this.options = options;
        this.console = new ConsoleOutput(out, terminal, 0);
        this.exitOnSignal = exitOnSignal;
    }

    /** Serves until the process is told to end; returns the exit status of the last test. */
    int run() {
        Runner runner = driver.runner();
        runner.quitWhenShapeEnds(false);
        if (runner instanceof MasterRunner master) {
            master.quitWhenLastWorkerLeaves(false); // as Locust's master with a web UI, it waits for workers to come back
        }
        LogTail logs = new LogTail();
        attachLogTail(logs);
        env.events().testStart.addListener(e -> {
            testStarted = Instant.now();
            var o = env.parsedOptions();
            parameters = RunParameters.of(env, options.locustfile(), env.host(), runner.targetUserCount(), o.getDouble("spawn_rate", 0),
                    o.has("run_time") ? io.locusttelemetry.engine.Timespan.parseSeconds(o.getString("run_time"), "--run-time") : 0);
        });
        // a master's workers send their last statistics with their next report (every 3 s) after they stopped
        long reportDelay = runner instanceof MasterRunner ? 3_500 : 0;
        env.events().testStop.addListener(e -> pendingReport = timers.schedule(this::testEnded, reportDelay, TimeUnit.MILLISECONDS));
        WebUi ui;
        try {
            ui = WebUi.builder(env).settings(web).telemetry(telemetry.coordinator()).logs(logs).formOptions(options.formOptions())
                    .reports(new WebReports(env, () -> parameters))
                    .defaults(settings.users(), settings.spawnRate(), settings.runTimeSeconds() > 0 ? settings.runTimeSeconds() + "s" : null)
                    .locustfile(options.locustfile(), Main.VERSION).start();
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage());
        }
        Thread hook = installHook(ui);
        try {
            log.info("Starting web interface at {}{}", ui.url(), web.host().isEmpty() ? " (listening on all interfaces, port "
                    + ui.port() + ")" : "");
            if (options.printStats()) {
                timers.scheduleAtFixedRate(() -> console.printTable(env.stats().snapshot(), true), 2, 2, TimeUnit.SECONDS);
            }
            if (options.autostart()) {
                NamedThreads.startDaemon("jlocust-autostart", () -> autostart(ui));
            }
            CompletableFuture.anyOf(quitRequested, runnerQuitted()).join();
            return finish(ui);
        } finally {
            if (hook != null && Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook runs or ran
                }
            }
        }
    }

    private CompletableFuture<Void> runnerQuitted() {
        return CompletableFuture.runAsync(driver::awaitQuit, r -> NamedThreads.startDaemon("jlocust-await-quit", r));
    }

    /** {@code --autostart}: the test of {@code -u}, {@code -r}, {@code -t}, once the workers are there. */
    private void autostart(WebUi ui) {
        try {
            if (driver.runner() instanceof MasterRunner master) {
                int expected = Math.max(1, env.parsedOptions().getInt("expect_workers", 1));
                master.awaitWorkers(expected, Duration.ZERO);
            }
            String message = ui.startTest(settings.users(), settings.spawnRate(),
                    settings.runTimeSeconds() > 0 ? settings.runTimeSeconds() : null);
            log.info("{} (--autostart)", message);
        } catch (IllegalArgumentException e) {
            log.error("--autostart could not start the test: {}", e.getMessage());
        }
    }

    /** A test ended (stopped, run time, shape): its tables and report files, and --autoquit's countdown. */
    private synchronized void testEnded() {
        Map<String, String> p = new LinkedHashMap<>(parameters);
        p.putAll(telemetry.reportParameters());
        Instant ended = Instant.now();
        p.put("Ended", RunParameters.TIME.format(ended));
        parameters = p;
        boolean allSeconds = settings.json() || settings.checks().jsonFile() != null;
        StatsSnapshot stats = allSeconds ? env.stats().fullSnapshot() : env.stats().snapshot();
        var checks = settings.checks();
        Verdict v = Verdict.of(checks.thresholds(), null, checks.baseline(), checks.maxRegression(), stats);
        if (!v.thresholds().isEmpty()) {
            env.events().thresholds.fire(new Events.ThresholdResults(v.thresholds(), v.abortedBy()));
        }
        verdict = v;
        reportFailures = FinalReport.write(console, settings, new FinalReport.Run(stats, env.statsHistory().points(),
                driver.runner().exceptions(), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(p)), v, testStarted, ended));
        if (options.autostart() && options.autoquit() >= 0 && !quitRequested.isDone()) {
            log.info("--autoquit: quitting in {} seconds", options.autoquit());
            timers.schedule(() -> quitRequested.complete(null), options.autoquit(), TimeUnit.SECONDS);
        }
    }

    /** Once: quits the runner (a running test ends with its reports), flushes the telemetry, computes the exit status. */
    private int finish(WebUi ui) {
        synchronized (finishLock) {
            if (exitCode != null) {
                return exitCode;
            }
            Runner runner = driver.runner();
            runner.quit(); // a master waits for its workers' final reports
            java.util.concurrent.ScheduledFuture<?> report = pendingReport;
            if (report != null && report.cancel(false)) {
                testEnded(); // the last test's reports, now that everything is in
            } else if (report != null) {
                try {
                    report.get(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.warn("the last test's reports: {}", e.toString());
                }
            }
            ui.close();
            detachLogTail();
            timers.shutdownNow();
            env.events().quitting.fire(env);
            StatsSnapshot stats = env.stats().snapshot();
            List<String> failedChecks = new ArrayList<>();
            int code = ExitStatus.of(settings, stats, runner.exceptions(), env.hadListenerError(), reportFailures, verdict, failedChecks);
            for (String f : failedChecks) {
                log.error("CHECK FAILED: {}", f);
            }
            telemetry.flush();
            driver.close();
            log.info("Shutting down (exit code {})", code);
            exitCode = code;
            return code;
        }
    }

    private Thread installHook(WebUi ui) {
        if (exitOnSignal == null) {
            return null;
        }
        Thread hook = NamedThreads.shutdownHook("jlocust-web-shutdown", () -> {
            log.info("Got a stop signal, shutting down");
            exitOnSignal.accept(finish(ui));
        });
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private AppenderBase<ILoggingEvent> logAppender;

    private void detachLogTail() {
        if (logAppender != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logAppender);
            logAppender.stop();
        }
    }

    /** Lets the web UI's log view show what the console shows. */
    private void attachLogTail(LogTail tail) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        PatternLayout layout = new PatternLayout();
        layout.setContext(ctx);
        layout.setPattern("[%d{\"yyyy-MM-dd HH:mm:ss,SSS\"}] %level/%logger{0}: %msg");
        layout.start();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                tail.append(layout.doLayout(event));
            }
        };
        appender.setContext(ctx);
        appender.setName("web-log-tail");
        appender.start();
        logAppender = appender;
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }
}
