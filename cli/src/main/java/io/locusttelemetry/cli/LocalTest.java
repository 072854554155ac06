package io.locusttelemetry.cli;

import io.locusttelemetry.cli.internal.ArgumentParser;
import io.locusttelemetry.cli.internal.CliException;
import io.locusttelemetry.cli.internal.CoreOptions;
import io.locusttelemetry.cli.internal.DistributedOptions;
import io.locusttelemetry.cli.internal.LocustfileLoader;
import io.locusttelemetry.cli.internal.OptionRegistry;
import io.locusttelemetry.cli.internal.OutputPaths;
import io.locusttelemetry.cli.internal.UserClassSelection;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.UserClasses;
import io.locusttelemetry.engine.thresholds.ThresholdExpression;
import io.locusttelemetry.engine.thresholds.ThresholdSyntaxException;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A standalone load test in this JVM, prepared as the {@code jlocust} command prepares one (every
 * option checked, the telemetry plugins wired, the thresholds of the user classes read) and run by
 * a {@link TestRun}, but without touching the process: no {@code System.exit}, no shutdown hook,
 * no logging configuration, no environment variables or config files read, and the caller's
 * context class loader as it was. It keeps no static state: several may run in one JVM, also at
 * the same time.
 *
 * <pre>{@code
 * RunResult r = LocalTest.builder().userClasses(List.of(Checkout.class)).option("host", url)
 *         .option("users", "10").option("run-time", "30s").threshold("p95<300").build().run();
 * }</pre>
 */
public final class LocalTest {
    private final List<Class<? extends User>> userClasses;
    private final String locustfile;
    private final Map<String, String> options;
    private final List<ThresholdExpression> thresholds;
    private final PrintStream out;

    private LocalTest(Builder b) {
        this.userClasses = List.copyOf(b.userClasses);
        this.locustfile = b.locustfile;
        this.options = Map.copyOf(b.options);
        this.thresholds = List.copyOf(b.thresholds);
        this.out = b.out;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the test to its end and returns what it measured.
     *
     * @throws IllegalArgumentException one line, for what the command reports as a usage error (a bad
     *                                  option value, a locustfile that does not compile, no user class)
     */
    public RunResult run() {
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        try {
            LocustfileLoader.Loaded loaded = locustfile != null ? LocustfileLoader.load(locustfile)
                    : new LocustfileLoader.Loaded(userClasses, null, caller, source(userClasses));
            thread.setContextClassLoader(loaded.classLoader());
            return run(loaded);
        } catch (CliException e) {
            throw new IllegalArgumentException(e.printable(), e);
        } catch (TelemetryConfigurationException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(caller);
        }
    }

    private RunResult run(LocustfileLoader.Loaded loaded) {
        Environment environment = Environment.builder().userClasses(loaded.userClasses()).shape(loaded.shape())
                .initHooks(loaded.initHooks()).build();
        OptionRegistry registry = new OptionRegistry();
        CoreOptions.register(registry);
        DistributedOptions.register(registry);
        TelemetryWiring telemetry = TelemetryWiring.load(environment, loaded.classLoader(), loaded.classes());
        environment.events().initCommandLineParser.fire(registry);
        for (String key : options.keySet()) {
            String name = key.replace('_', '-');
            if (registry.find("--" + name) == null) {
                throw new CliException("Unknown option '" + key + "' (use the long option name without dashes, e.g. spawn-rate)");
            }
            if (List.of("master", "worker", "processes").contains(name)) {
                throw new CliException("A test in this JVM runs standalone: --" + name + " is for the jlocust command");
            }
        }
        ParsedOptions o = new ArgumentParser(registry, Map.of()).parse(new String[0], options).options();
        environment.parsedOptions(o);
        OutputPaths.check(o);
        telemetry.afterParse();
        UserClasses classes = UserClassSelection.select(UserClasses.of(loaded.userClasses()), List.of(), loaded.source());
        RunSettings settings = RunSettings.from(o, loaded.shape() != null);
        UserClassSelection.checkRunnable(classes, settings.tags());
        environment.userClasses(classes.list());
        // the caller's thresholds first, then the user classes' own, as the command orders --threshold and @Threshold
        settings = settings.withChecks(settings.checks().withThresholds(thresholds));
        settings = settings.withThresholdsOf(classes.list());
        settings.applyTo(environment);
        RunnerDriver driver = RunnerDriver.local(environment);
        TestRun run;
        try {
            telemetry.onInit();
            environment.events().init.fire(environment);
            run = TestRun.builder(environment, driver, settings).out(out, false).telemetry(telemetry).locustfile(loaded.source()).build();
        } catch (RuntimeException | Error e) {
            driver.runner().quit();
            driver.close();
            throw e;
        }
        run.run();
        return run.result().orElseThrow(() -> new IllegalStateException("the test ended without a result"));
    }

    private static String source(List<Class<? extends User>> classes) {
        return String.join(",", classes.stream().map(Class::getSimpleName).toList());
    }

    /** Builds a {@link LocalTest}. */
    public static final class Builder {
        private final List<Class<? extends User>> userClasses = new ArrayList<>();
        private String locustfile;
        private final Map<String, String> options = new LinkedHashMap<>();
        private final List<ThresholdExpression> thresholds = new ArrayList<>();
        private PrintStream out = System.out;

        private Builder() {}

        /** The user classes of the test (on the caller's class path). */
        public Builder userClasses(List<Class<? extends User>> classes) {
            userClasses.addAll(classes);
            return this;
        }

        /** A locustfile instead of classes: a {@code .java} file, a folder of them, a jar (as {@code -f}). */
        public Builder locustfile(String spec) {
            this.locustfile = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /** An option by its long name without dashes ({@code users}, {@code spawn-rate}, {@code html}), as in locust.conf. */
        public Builder option(String name, String value) {
            options.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * A threshold ({@code p95<300}, {@code GET /cart: p99<800 abort-on-fail}).
         *
         * @throws IllegalArgumentException naming the column of a syntax error
         */
        public Builder threshold(String expression) {
            try {
                thresholds.add(ThresholdExpression.parse(expression));
            } catch (ThresholdSyntaxException e) {
                throw new IllegalArgumentException(e.describe("threshold"), e);
            }
            return this;
        }

        /** Where the tables go (default {@code System.out}). */
        public Builder out(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        public LocalTest build() {
            if (userClasses.isEmpty() == (locustfile == null)) {
                throw new IllegalArgumentException("give either user classes or a locustfile");
            }
            return new LocalTest(this);
        }
    }
}
