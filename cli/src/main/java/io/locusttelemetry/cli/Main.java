package io.locusttelemetry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import io.locusttelemetry.cli.demo.DemoShopper;
import io.locusttelemetry.cli.demo.DemoTarget;
import io.locusttelemetry.cli.internal.ArgumentParser;
import io.locusttelemetry.cli.internal.CliException;
import io.locusttelemetry.cli.internal.ConsoleStats;
import io.locusttelemetry.cli.internal.CoreOptions;
import io.locusttelemetry.cli.internal.CsvReport;
import io.locusttelemetry.cli.internal.DistributedOptions;
import io.locusttelemetry.cli.internal.Durations;
import io.locusttelemetry.cli.internal.HtmlReport;
import io.locusttelemetry.cli.internal.JsonStats;
import io.locusttelemetry.cli.internal.LocustfileLoader;
import io.locusttelemetry.cli.internal.OptionRegistry;
import io.locusttelemetry.cli.internal.Progress;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.internal.TaskModel;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jlocust} command: loads the user classes, parses options (config file, environment,
 * command line), runs the test and prints Locust's tables and reports.
 */
public final class Main {
    /** Exit code of a failed CI gate ({@code --check-*}). */
    public static final int CHECK_FAILED_EXIT_CODE = 3;
    public static final String VERSION = "0.1.0";
    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean installShutdownHook;
    private Logger log;
    private Progress progress;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Map<String, String> extensionsReportParameters = new LinkedHashMap<>();
    private String[] originalArgs = new String[0];

    public Main(PrintStream out, PrintStream err, Map<String, String> env, boolean installShutdownHook) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.installShutdownHook = installShutdownHook;
    }

    public static void main(String[] args) {
        int code = new Main(System.out, System.err, System.getenv(), true).run(args);
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /** Runs the command and returns its exit code. */
    public int run(String[] args) {
        DemoTarget demoTarget = null;
        originalArgs = args.clone();
        try {
            boolean demo = args.length > 0 && args[0].equals("demo");
            if (demo) {
                args = java.util.Arrays.copyOfRange(args, 1, args.length);
            }
            boolean wantsMarkdown = has(args, "--help-markdown");
            boolean wantsHelp = has(args, "-h", "--help") || wantsMarkdown;
            boolean wantsVersion = has(args, "-V", "--version");
            Map<String, String> config = loadConfig(args);
            if (demo) {
                demoTarget = DemoTarget.start();
                config.putIfAbsent("users", "20");
                config.putIfAbsent("spawn-rate", "10");
                config.putIfAbsent("run-time", "30s");
                config.putIfAbsent("host", demoTarget.url());
                config.putIfAbsent("exit-code-on-error", "0");
            }
            LocustfileLoader.Loaded loaded = null;
            if (demo) {
                loaded = new LocustfileLoader.Loaded(List.of(DemoShopper.class), null,
                        Thread.currentThread().getContextClassLoader(), "demo");
            } else if (!wantsHelp && !wantsVersion) {
                String locustfile = locustfileSpec(args, config);
                if (locustfile == null) {
                    throw new CliException("Could not find any locustfile! Pass -f with a .java file, a jar or a class name, "
                            + "or put a locustfile.java in this folder (see jlocust --help).", 1);
                }
                loaded = LocustfileLoader.load(locustfile);
                Thread.currentThread().setContextClassLoader(loaded.classLoader());
            }
            Environment environment = Environment.builder()
                    .userClasses(loaded == null ? List.of() : loaded.userClasses())
                    .shape(loaded == null ? null : loaded.shape())
                    .initHooks(loaded == null ? List.of() : loaded.initHooks())
                    .build();
            OptionRegistry registry = new OptionRegistry();
            CoreOptions.register(registry);
            DistributedOptions.register(registry);
            CliExtensions extensions = CliExtensions.load(environment,
                    loaded == null ? Thread.currentThread().getContextClassLoader() : loaded.classLoader());
            environment.events().initCommandLineParser.fire(registry);
            if (wantsHelp) {
                out.print(wantsMarkdown ? ArgumentParser.markdown(registry) : ArgumentParser.help(registry));
                return 0;
            }
            if (wantsVersion) {
                out.println("jlocust " + VERSION + " (Locust protocol compatible: 2.12.1 .. 2.46.3), Java " + Runtime.version());
                return 0;
            }
            ArgumentParser.Result parsed = new ArgumentParser(registry, env).parse(args, config);
            ParsedOptions options = parsed.options();
            environment.parsedOptions(options);
            configureLogging(options);
            extensions.afterParse(environment);
            return runTest(environment, loaded, parsed, extensions);
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (TelemetryConfigurationException e) {
            err.println(e.getMessage());
            return 2;
        } catch (RuntimeException | Error | IOException e) {
            err.println("jlocust: unexpected error: " + e);
            if (log != null) {
                log.debug("unexpected error", e);
            }
            return 2;
        } finally {
            if (demoTarget != null) {
                demoTarget.close();
            }
        }
    }

    private int runTest(Environment environment, LocustfileLoader.Loaded loaded, ArgumentParser.Result parsed, CliExtensions extensions) {
        ParsedOptions o = parsed.options();
        List<Class<? extends User>> classes = loaded.userClasses();
        if (o.getBoolean("list_commands", false)) {
            out.println("Available Users:");
            for (Class<? extends User> c : classes) {
                out.println("    " + c.getSimpleName());
            }
            return 0;
        }
        if (!parsed.userClassNames().isEmpty()) {
            List<Class<? extends User>> picked = new ArrayList<>();
            List<Class<? extends User>> available = classes;
            for (String name : parsed.userClassNames()) {
                Class<? extends User> c = available.stream().filter(k -> k.getSimpleName().equals(name) || k.getName().equals(name))
                        .findFirst().orElseThrow(() -> new CliException("Unknown User(s): " + name + " (available: "
                                + available.stream().map(Class::getSimpleName).toList() + ")"));
                picked.add(c);
            }
            classes = picked;
        }
        if (classes.isEmpty()) {
            throw new CliException("No User class found in " + loaded.source() + "! A user class extends User or HttpUser.", 1);
        }
        java.util.Set<String> tags = o.getList("tags").isEmpty() ? null : new HashSet<>(o.getList("tags"));
        java.util.Set<String> excludeTags = o.getList("exclude_tags").isEmpty() ? null : new HashSet<>(o.getList("exclude_tags"));
        if (o.getBoolean("show_task_ratio", false) || o.getBoolean("show_task_ratio_json", false)) {
            printTaskRatios(classes, tags, excludeTags, o.getBoolean("show_task_ratio_json", false));
            return 0;
        }
        for (Class<? extends User> c : classes) {
            try {
                TaskModel m = TaskModel.of(c, tags, excludeTags);
                if (m.isEmpty()) {
                    throw new CliException("User class " + c.getSimpleName() + " has no tasks"
                            + (tags != null || excludeTags != null ? " left after --tags/--exclude-tags" : " (add @Task methods)"));
                }
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
        }
        int users = o.has("num_users") ? o.getInt("num_users", 1) : 1;
        double spawnRate = o.has("spawn_rate") ? o.getDouble("spawn_rate", 1) : 1;
        if (loaded.shape() == null) {
            if (users <= 0) {
                throw new CliException("Invalid --users " + users + ": it must be at least 1");
            }
            if (spawnRate <= 0) {
                throw new CliException("Invalid --spawn-rate " + spawnRate + ": it must be above 0");
            }
        }
        long runTime = o.has("run_time") ? Durations.parseSeconds(o.getString("run_time"), "--run-time") : 0;
        if (o.has("run_time") && runTime <= 0) {
            throw new CliException("Invalid --run-time '" + o.getString("run_time") + "': it must be above 0");
        }
        String host = o.getString("host");
        if (host != null && !host.isEmpty() && !host.matches("^https?://[^\\s/]+.*")) {
            throw new CliException("Invalid --host '" + host + "': use a URL such as http://localhost:8080");
        }
        double stopTimeout = o.getDouble("stop_timeout", 0);

        Environment env = environment;
        env.userClasses(classes);
        env.host(host);
        env.tags(tags, excludeTags);
        env.stopTimeout(stopTimeout);
        DistributedMode distributed = new DistributedMode(o, originalArgs);
        if (distributed.isWorker()) {
            return distributed.runWorker(env, () -> extensions.onInit(env), installShutdownHook);
        }
        Runner runner = distributed.createRunner(env);
        extensions.onInit(env);
        env.events().init.fire(env);

        boolean json = o.getBoolean("json", false);
        boolean onlySummary = o.getBoolean("only_summary", false) || json;
        if (o.getBoolean("reset_stats", false)) {
            env.events().spawningComplete.addListener(e -> {
                log.info("Resetting stats");
                env.stats().reset();
                env.events().resetStats.fire(env);
            });
        }
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, NamedThreads.daemon("jlocust-timers"));
        AtomicBoolean finished = new AtomicBoolean();
        int[] exitCode = {0};
        Object finishLock = new Object();
        // runs once; a second caller (main thread vs. shutdown hook) waits until the first is done
        Runnable finish = () -> {
            synchronized (finishLock) {
                if (!finished.compareAndSet(false, true)) {
                    return;
                }
                runner.quit();
                env.events().quitting.fire(env);
                extensionsReportParameters.putAll(extensions.reportParameters(env));
                exitCode[0] = report(env, runner, o, json);
                extensions.onExit(env);
            }
        };
        Thread hook = null;
        if (installShutdownHook) {
            hook = NamedThreads.shutdownHook("jlocust-shutdown", () -> {
                {
                    log.info("Got a stop signal, shutting down");
                    try {
                        finish.run();
                    } finally {
                        extensions.onExit(env);
                        out.flush();
                    }
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
        }
        Progress progress = new Progress(out, Progress.stdoutIsTerminal(), runTime);
        this.progress = progress;
        env.events().spawningComplete.addListener(e -> {
            if (!json) {
                progress.done(e.userCount());
            }
        });
        java.time.Instant started = java.time.Instant.now();
        parameters.put("Started", TIME.format(started));
        parameters.put("Locustfile", loaded.source());
        parameters.put("User classes", String.join(", ", classes.stream().map(Class::getSimpleName).toList()));
        parameters.put("Host", host == null ? "(per user class)" : host);
        parameters.put("Users", loaded.shape() != null ? "load shape " + loaded.shape().getClass().getSimpleName() : String.valueOf(users));
        parameters.put("Spawn rate", loaded.shape() != null ? "" : String.valueOf(spawnRate));
        parameters.put("Run time", runTime > 0 ? Durations.format(runTime) : "until stopped");
        try {
            if (!json) {
                timers.scheduleAtFixedRate(() -> {
                    if (runner.state() == io.locusttelemetry.engine.RunnerState.SPAWNING) {
                        progress.spawning(runner.userCount(), runner.targetUserCount());
                    }
                }, 1, 1, TimeUnit.SECONDS);
            }
            if (!onlySummary) {
                timers.scheduleAtFixedRate(() -> printTable(env.stats().snapshot(), true), 2, 2, TimeUnit.SECONDS);
            }
            if (loaded.shape() != null) {
                if (o.has("num_users") || o.has("spawn_rate")) {
                    log.warn("The locustfile has a LoadTestShape: -u/-r are ignored");
                }
                log.info("Starting load test shape {}", loaded.shape().getClass().getSimpleName());
                distributed.startShape(runner);
            } else {
                distributed.start(runner, users, spawnRate);
            }
            if (runTime > 0) {
                log.info("Run time limit set to {} seconds", runTime);
                timers.schedule(() -> {
                    log.info("--run-time limit reached, shutting down");
                    runner.quit();
                }, runTime, TimeUnit.SECONDS);
            }
            distributed.awaitQuit(runner);
            finish.run();
        } finally {
            timers.shutdownNow();
            if (hook != null && !finished.get()) {
                finish.run();
            }
            if (!finished.get()) {
                runner.quit();
            }
            distributed.close();
        }
        log.info("Shutting down (exit code {})", exitCode[0]);
        return exitCode[0];
    }

    private int report(Environment env, Runner runner, ParsedOptions o, boolean json) {
        StatsSnapshot stats = json ? env.stats().fullSnapshot() : env.stats().snapshot();
        if (json) {
            out.println(JsonStats.render(stats));
        } else {
            printTable(stats, false);
            printLines(ConsoleStats.percentileTable(stats));
            printLines(ConsoleStats.errorReport(stats));
            printLines(ConsoleStats.exceptionReport(runner.exceptions()));
        }
        out.flush();
        String html = o.getString("html_file");
        if (html != null) {
            parameters.put("Ended", TIME.format(java.time.Instant.now()));
            parameters.putAll(extensionsReportParameters);
            try {
                HtmlReport.write(Path.of(html), parameters, stats, env.statsHistory().points(), runner.exceptions());
                log.info("HTML report written to {}", html);
            } catch (IOException e) {
                log.error("Could not write the HTML report {}: {}", html, e.getMessage());
            }
        }
        String csv = o.getString("csv_prefix");
        if (csv != null) {
            try {
                CsvReport.write(csv, stats, env.statsHistory().points(), runner.exceptions());
            } catch (IOException e) {
                log.error("Could not write CSV files {}_*.csv: {}", csv, e.getMessage());
            }
        }
        int code = 0;
        if (env.hadListenerError()) {
            code = 2;
        } else if (!stats.errors().isEmpty() || !runner.exceptions().isEmpty()) {
            code = o.getInt("exit_code_on_error", 1);
        }
        EntrySnapshot total = stats.total();
        List<String> failedChecks = new ArrayList<>();
        if (o.has("check_fail_ratio") && total.failRatio() > o.getDouble("check_fail_ratio", 1)) {
            failedChecks.add(String.format(Locale.ROOT, "fail ratio was %.4f (threshold %s)", total.failRatio(), o.get("check_fail_ratio")));
        }
        if (o.has("check_avg_response_time") && total.avgResponseTime() > o.getDouble("check_avg_response_time", 0)) {
            failedChecks.add(String.format(Locale.ROOT, "average response time was %.1f ms (threshold %s)", total.avgResponseTime(),
                    o.get("check_avg_response_time")));
        }
        if (o.has("check_rps") && stats.totalRps(total) < o.getDouble("check_rps", 0)) {
            failedChecks.add(String.format(Locale.ROOT, "total rps was %.2f (threshold %s)", stats.totalRps(total), o.get("check_rps")));
        }
        for (String f : failedChecks) {
            log.error("CHECK FAILED: {}", f);
        }
        if (!failedChecks.isEmpty() && code != 2) {
            code = CHECK_FAILED_EXIT_CODE;
        }
        return code;
    }

    private synchronized void printTable(StatsSnapshot stats, boolean current) {
        printLines(ConsoleStats.statsTable(stats, current));
    }

    private synchronized void printLines(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        if (progress != null) {
            progress.closeLine();
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        sb.append('\n');
        out.print(sb);
        out.flush();
    }

    private void printTaskRatios(List<Class<? extends User>> classes, java.util.Set<String> tags, java.util.Set<String> exclude, boolean json) {
        Map<String, Object> all = new LinkedHashMap<>();
        int weightSum = classes.stream().mapToInt(io.locusttelemetry.engine.UserDispatcher::weightOf).sum();
        for (Class<? extends User> c : classes) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("ratio", (double) io.locusttelemetry.engine.UserDispatcher.weightOf(c) / Math.max(weightSum, 1));
            entry.put("tasks", TaskModel.of(c, tags, exclude).ratios());
            all.put(c.getSimpleName(), entry);
        }
        if (json) {
            try {
                out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(all));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        out.println("\n Task ratio per User class");
        all.forEach((name, v) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) v;
            out.printf(Locale.ROOT, " %-6.1f %s%n", (double) e.get("ratio") * 100, name);
            @SuppressWarnings("unchecked")
            Map<String, Double> tasks = (Map<String, Double>) e.get("tasks");
            tasks.forEach((t, r) -> out.printf(Locale.ROOT, "    %-6.1f %s%n", r * 100, t));
        });
    }

    private Map<String, String> loadConfig(String[] args) {
        String explicit = valueOf(args, "--config");
        if (explicit == null) {
            explicit = env.get("LOCUST_CONFIG");
        }
        if (explicit != null) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) {
                throw new CliException("Config file " + explicit + " not found");
            }
            return ArgumentParser.readConfigFile(p);
        }
        Map<String, String> merged = new LinkedHashMap<>();
        for (Path p : List.of(Path.of(System.getProperty("user.home"), ".locust.conf"), Path.of("locust.conf"))) {
            if (Files.isRegularFile(p)) {
                merged.putAll(ArgumentParser.readConfigFile(p));
            }
        }
        return merged;
    }

    private String locustfileSpec(String[] args, Map<String, String> config) {
        String v = valueOf(args, "-f", "--locustfile");
        if (v == null) {
            v = env.get("LOCUST_LOCUSTFILE");
        }
        if (v == null) {
            v = config.get("locustfile");
        }
        if (v == null && Files.isRegularFile(Path.of("locustfile.java"))) {
            v = "locustfile.java";
        }
        return v;
    }

    private static boolean has(String[] args, String... names) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            for (String n : names) {
                if (a.equals(n)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String valueOf(String[] args, String... names) {
        for (int i = 0; i < args.length; i++) {
            for (String n : names) {
                if (args[i].equals(n) && i + 1 < args.length) {
                    return args[i + 1];
                }
                if (args[i].startsWith(n + "=")) {
                    return args[i].substring(n.length() + 1);
                }
                if (n.length() == 2 && args[i].startsWith(n) && args[i].length() > 2 && !args[i].startsWith("--")) {
                    return args[i].substring(2);
                }
            }
        }
        return null;
    }

    private void configureLogging(ParsedOptions o) {
        String level = o.getString("loglevel", "INFO").toUpperCase(Locale.ROOT);
        Level l = switch (level) {
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARNING", "WARN" -> Level.WARN;
            case "ERROR", "CRITICAL" -> Level.ERROR;
            default -> throw new CliException("Invalid --loglevel '" + level + "': use DEBUG, INFO, WARNING, ERROR or CRITICAL");
        };
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.setLevel(l);
            String logfile = o.getString("logfile");
            if (logfile != null) {
                PatternLayoutEncoder enc = new PatternLayoutEncoder();
                enc.setContext(ctx);
                enc.setPattern("[%d{\"yyyy-MM-dd HH:mm:ss,SSS\"}] %level/%logger{0}: %msg%n");
                enc.start();
                FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> fa = new FileAppender<>();
                fa.setContext(ctx);
                fa.setFile(logfile);
                fa.setEncoder(enc);
                fa.start();
                root.detachAndStopAllAppenders();
                root.addAppender(fa);
            }
        }
        log = LoggerFactory.getLogger("jlocust");
    }
}
