package io.locusttelemetry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import io.locusttelemetry.cli.demo.DemoShopper;
import io.locusttelemetry.cli.demo.DemoTarget;
import io.locusttelemetry.cli.internal.ArgumentParser;
import io.locusttelemetry.cli.internal.CliException;
import io.locusttelemetry.cli.internal.ConfigFile;
import io.locusttelemetry.cli.internal.InitCommand;
import io.locusttelemetry.cli.internal.CoreOptions;
import io.locusttelemetry.cli.internal.DistributedOptions;
import io.locusttelemetry.cli.internal.LocustfileLoader;
import io.locusttelemetry.cli.internal.OptionRegistry;
import io.locusttelemetry.cli.internal.OutputPaths;
import io.locusttelemetry.cli.internal.Progress;
import io.locusttelemetry.cli.internal.Text;
import io.locusttelemetry.cli.internal.UserClassSelection;
import io.locusttelemetry.engine.ArrivalPlan;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.UserClasses;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import io.locusttelemetry.web.WebOptions;
import io.locusttelemetry.web.WebSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jlocust} command: loads the user classes, parses options (config file, environment,
 * command line), checks them all, then runs the test ({@link TestRun}) or a worker.
 */
public final class Main {
    public static final String VERSION = "0.1.0";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean installShutdownHook;
    private Logger log = LoggerFactory.getLogger("jlocust");

    /**
     * @param installShutdownHook whether a stop signal ends the run with its own exit status (the
     *                            command); false in a JVM that must not be halted (tests)
     */
    public Main(PrintStream out, PrintStream err, Map<String, String> env, boolean installShutdownHook) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.installShutdownHook = installShutdownHook;
    }

    public static void main(String[] args) {
        exit(new Main(System.out, System.err, System.getenv(), true).run(args));
    }

    /** Ends the process with {@code code}, also from a shutdown hook (where {@code exit} would wait for itself). */
    private static void exit(int code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /** Runs the command and returns its exit code. */
    public int run(String[] args) {
        if (args.length > 0 && args[0].equals("init")) {
            return InitCommand.run(Arrays.copyOfRange(args, 1, args.length), env, out, err);
        }
        DemoTarget demoTarget = null;
        String[] originalArgs = args.clone();
        try {
            boolean demo = args.length > 0 && args[0].equals("demo");
            if (demo) {
                args = Arrays.copyOfRange(args, 1, args.length);
            }
            boolean wantsMarkdown = has(args, "--help-markdown");
            boolean wantsHelp = has(args, "-h", "--help") || wantsMarkdown;
            boolean wantsVersion = has(args, "-V", "--version");
            ConfigFile config = loadConfig(args);
            if (demo) {
                demoTarget = DemoTarget.start();
                config = config.withDefault("users", "20").withDefault("spawn-rate", "10").withDefault("host", demoTarget.url())
                        .withDefault("exit-code-on-error", "0");
                if (!has(args, "--web")) {
                    // the demo is headless unless asked for the web UI, where a test runs until stopped
                    config = config.withDefault("run-time", "30s").withDefault("headless", "true");
                }
            }
            LocustfileLoader.Loaded loaded = null;
            if (demo) {
                loaded = new LocustfileLoader.Loaded(List.of(DemoShopper.class), null,
                        Thread.currentThread().getContextClassLoader(), "demo");
            } else if (!wantsVersion) {
                // --help with a locustfile given lists its plugins' options, as Locust lists a locustfile's arguments
                String locustfile = locustfileSpec(args, config.values(), !wantsHelp);
                if (locustfile == null && !wantsHelp) {
                    throw new CliException("Could not find any locustfile! Pass -f with a .java file, a jar or a class name, "
                            + "or put a locustfile.java in this folder (see jlocust --help).", 1);
                }
                if (locustfile != null) {
                    loaded = LocustfileLoader.load(locustfile);
                    Thread.currentThread().setContextClassLoader(loaded.classLoader());
                }
            }
            Environment environment = Environment.builder()
                    .userClasses(loaded == null ? List.of() : loaded.userClasses())
                    .shape(loaded == null ? null : loaded.shape())
                    .initHooks(loaded == null ? List.of() : loaded.initHooks())
                    .build();
            OptionRegistry registry = new OptionRegistry();
            CoreOptions.register(registry);
            DistributedOptions.register(registry);
            WebOptions.register(registry);
            TelemetryWiring telemetry = TelemetryWiring.load(environment,
                    loaded == null ? Thread.currentThread().getContextClassLoader() : loaded.classLoader(),
                    loaded == null ? List.of() : loaded.classes());
            environment.events().initCommandLineParser.fire(registry);
            if (wantsHelp) {
                out.print(wantsMarkdown ? ArgumentParser.markdown(registry) : ArgumentParser.help(registry));
                return 0;
            }
            if (wantsVersion) {
                out.println("jlocust " + VERSION + " (Locust protocol compatible: 2.12.1 .. 2.46.3), Java " + Runtime.version());
                return 0;
            }
            for (String warning : config.warnings(registry.all())) {
                err.println("Warning: " + Text.escapeControl(warning));
            }
            ArgumentParser.Result parsed = new ArgumentParser(registry, env).parse(args, config.values());
            ParsedOptions options = parsed.options();
            environment.parsedOptions(options);
            // every value is checked before anything starts: a bad one is one line and exit 2, not a failed run
            OutputPaths.check(options);
            configureLogging(options);
            telemetry.afterParse();
            RunSettings settings = RunSettings.from(options, loaded.shape() != null);
            DistributedMode distributed = new DistributedMode(options, originalArgs);
            return runTest(environment, loaded, parsed, settings, distributed, telemetry, registry);
        } catch (CliException e) {
            err.println(e.printable());
            return e.exitCode();
        } catch (TelemetryConfigurationException e) {
            err.println(Text.escapeControl(e.getMessage()));
            return 2;
        } catch (java.io.IOException e) {
            err.println("jlocust: cannot start the demo target: " + Text.escapeControl(String.valueOf(e.getMessage())));
            return 2;
        } catch (RuntimeException | Error e) {
            err.println("jlocust: unexpected error: " + Text.escapeControl(e.toString()));
            log.debug("unexpected error", e);
            return 2;
        } finally {
            if (demoTarget != null) {
                demoTarget.close();
            }
        }
    }

    private int runTest(Environment environment, LocustfileLoader.Loaded loaded, ArgumentParser.Result parsed, RunSettings settings,
                        DistributedMode distributed, TelemetryWiring telemetry, OptionRegistry registry) {
        ParsedOptions o = parsed.options();
        UserClasses available = UserClasses.of(loaded.userClasses());
        if (o.getBoolean("list_commands", false)) {
            UserClassSelection.printList(out, available);
            return 0;
        }
        UserClasses classes = UserClassSelection.select(available, parsed.userClassNames(), loaded.source());
        if (o.getBoolean("show_task_ratio", false) || o.getBoolean("show_task_ratio_json", false)) {
            UserClassSelection.printTaskRatios(out, UserClassSelection.ratios(classes, settings.tags()),
                    o.getBoolean("show_task_ratio_json", false));
            return 0;
        }
        UserClassSelection.checkRunnable(classes, settings.tags());
        ArrivalPlan arrivals = distributed.isWorker() ? null : openModel(classes.list(), settings, loaded.shape() != null, o);
        environment.arrivalPlan(arrivals);
        environment.userClasses(classes.list());
        settings.applyTo(environment);
        IntConsumer exitOnSignal = installShutdownHook ? Main::exit : null;
        if (distributed.isWorker()) {
            return distributed.runWorker(environment, telemetry::onInit, exitOnSignal);
        }
        settings = settings.withThresholdsOf(classes.list());
        if (loaded.shape() != null && (o.has("num_users") || o.has("spawn_rate") || o.has("arrival_rate"))) {
            log.warn("The locustfile has a LoadTestShape: -u/-r and --arrival-rate are ignored");
        }
        WebSettings web = interactive(o);
        if (web != null && o.has("web_login")) {
            // the web UI keeps the password; the options go to workers and into reports
            environment.parsedOptions(o.with("web_login", null));
        }
        RunnerDriver driver = distributed.driver(environment);
        TestRun run = null;
        try {
            telemetry.onInit();
            environment.events().init.fire(environment);
            if (web == null) {
                run = TestRun.builder(environment, driver, settings).out(out, Progress.stdoutIsTerminal()).telemetry(telemetry)
                        .locustfile(loaded.source()).exitOnSignal(exitOnSignal).build();
            }
        } catch (RuntimeException | Error e) {
            driver.runner().quit();
            driver.close();
            throw e;
        }
        if (run != null) {
            return run.run();
        }
        WebRun.Options interactive = new WebRun.Options(o.getBoolean("autostart", false), o.getInt("autoquit", -1), loaded.source(),
                registry.all(), o.getBoolean("print_stats", false));
        return new WebRun(environment, driver, settings, telemetry, web, interactive, out, Progress.stdoutIsTerminal(), exitOnSignal).run();
    }

    /**
     * The web UI's settings, or null for a headless run: as Locust, the web UI is the default and
     * {@code --headless} runs without it.
     */
    private WebSettings interactive(ParsedOptions o) {
        boolean headless = o.getBoolean("headless", false);
        boolean autostart = o.getBoolean("autostart", false);
        if (o.has("autoquit") && !autostart) {
            throw new CliException("--autoquit is only meaningful in combination with --autostart", 1);
        }
        if (headless) {
            if (autostart) {
                log.info("The --autostart argument is implied by --headless, no need to set both.");
            }
            return null;
        }
        if (o.has("run_time") && !autostart) {
            log.warn("--run-time without --headless or --autostart: it fills the web UI's start form, and applies to the tests started there");
        }
        try {
            return WebSettings.from(o);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /**
     * The run's open model (an arrival rate), or null for a closed one; under a load shape the
     * shares and pools its {@code arrivals} ticks use, when the classes can share a rate.
     */
    private ArrivalPlan openModel(List<Class<? extends User>> classes, RunSettings settings, boolean shape, ParsedOptions o) {
        if (shape) {
            try {
                ArrivalPlan own = settings.arrivalPlan(classes);
                return own != null ? own : ArrivalPlan.byWeight(classes, 0, settings.maxUsers(), settings.arrivalDistribution());
            } catch (CliException | IllegalArgumentException e) {
                return null;
            }
        }
        ArrivalPlan plan = settings.arrivalPlan(classes);
        if (plan != null && (o.has("num_users") || o.has("spawn_rate"))) {
            log.warn("The run is an open model ({} iterations per second): -u/-r are ignored, --max-users bounds its users",
                    ArrivalPlan.formatRate(plan.totalRate()));
        } else if (plan == null && o.has("max_users")) {
            log.warn("--max-users is ignored: the run is a closed model (no --arrival-rate, no @ArrivalRate)");
        }
        return plan;
    }

    private ConfigFile loadConfig(String[] args) {
        String explicit = valueOf(args, "--config");
        if (explicit == null) {
            explicit = env.get("LOCUST_CONFIG");
        }
        if (explicit != null) {
            Path p = path(explicit, "--config");
            if (!Files.isRegularFile(p)) {
                throw new CliException("Config file " + explicit + " not found");
            }
            return ConfigFile.read(p);
        }
        ConfigFile merged = ConfigFile.empty();
        for (Path p : List.of(Path.of(System.getProperty("user.home"), ".locust.conf"), Path.of("locust.conf"))) {
            if (Files.isRegularFile(p)) {
                merged = merged.then(ConfigFile.read(p));
            }
        }
        return merged;
    }

    private static Path path(String file, String option) {
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            throw new CliException("Invalid " + option + " '" + file + "': not a valid file name (" + e.getReason() + ")");
        }
    }

    private String locustfileSpec(String[] args, Map<String, String> config, boolean orDefault) {
        String v = valueOf(args, "-f", "--locustfile");
        if (v == null) {
            v = env.get("LOCUST_LOCUSTFILE");
        }
        if (v == null) {
            v = config.get("locustfile");
        }
        if (v == null && orDefault && Files.isRegularFile(Path.of("locustfile.java"))) {
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
