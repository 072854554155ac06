package io.locusttelemetry.telemetry;

import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.telemetry.internal.GeneratorMonitor;
import io.locusttelemetry.telemetry.internal.StandardRecorders;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the telemetry plugins to one {@link Environment} (create exactly one per environment;
 * nothing here is static):
 * <ul>
 *   <li>{@code initCommandLineParser}: adds the core options and each plugin's options;</li>
 *   <li>{@code init}: checks the options and loads the enabled plugins' recorders for the runner's
 *       role ({@link #initialize()});</li>
 *   <li>{@code testStart} on a master or local runner: creates the run's {@link TestMetadata}
 *       ({@code run_id}: {@code --run-id} or 8 random lowercase hex characters) and sends it as the
 *       {@code set_metadata} custom message, before users are spawned; workers (and the local runner,
 *       to which the message loops back) apply it in their {@code set_metadata} handler;</li>
 *   <li>{@code quitting}: closes the recorders and flushes the sinks ({@link #close()}).</li>
 * </ul>
 * When an enabled plugin writes records somewhere (a recorder that is a {@link TelemetrySink}: the
 * {@code json} lines, the {@code otel} logs), the coordinator also loads the standard records of
 * {@code telemetry-spec.md} (test events, request statistics, system and JVM metrics), so every
 * output gets them whichever plugins are enabled. Whatever is enabled, it watches the generator's
 * own health ({@code events.generatorSaturation}, marked in the stats history).
 * Records emitted before any metadata is known (a worker ahead of its master's message) are held
 * back and emitted with the metadata once it arrives, never with a wrong {@code run_id}.
 */
public final class TelemetryCoordinator {
    private static final Logger log = LoggerFactory.getLogger(TelemetryCoordinator.class);
    /** Records held back while waiting for metadata; beyond this the oldest go out without {@code run_id}. */
    static final int MAX_PENDING_RECORDS = 10_000;
    /** The {@link TelemetryBaseRecorder#pluginId()} of the standard records' recorders. */
    public static final String STANDARD_RECORDS = "standard";

    private final Environment env;
    private final TelemetryRecorderPluginManager manager;
    private final Object lifecycle = new Object();
    private final List<TelemetryBaseRecorder> recorders = new CopyOnWriteArrayList<>();
    private final RecordRouter router = new RecordRouter(MAX_PENDING_RECORDS);
    private final Consumer<CommandLineParser> onParser;
    private final Consumer<Environment> onInit;
    private final Consumer<Environment> onTestStart;
    private final Consumer<Environment> onQuitting;
    private volatile TelemetrySettings settings;
    private volatile List<TelemetryRecorderPluginBase> enabledPlugins = List.of();
    private volatile boolean initialized;
    private volatile boolean closed;
    private volatile ScheduledExecutorService scheduler;
    private volatile SystemUsageSampler sampler;
    private volatile GeneratorMonitor monitor;

    /**
     * Subscribes to {@code env}'s events. Create it before {@code initCommandLineParser} is fired so
     * that the options are added.
     */
    public TelemetryCoordinator(Environment env, TelemetryRecorderPluginManager manager) {
        this.env = Objects.requireNonNull(env, "env");
        this.manager = Objects.requireNonNull(manager, "manager");
        onParser = env.events().initCommandLineParser.addListener(manager::registerCliArguments);
        onInit = env.events().init.addListener(e -> {
            if (!initialized) {
                initialize();
            }
        });
        onTestStart = env.events().testStart.addListener(e -> testStarting());
        onQuitting = env.events().quitting.addListener(e -> close());
    }

    /** The environment this coordinator serves. */
    public Environment environment() {
        return env;
    }

    /** The plugin registry. */
    public TelemetryRecorderPluginManager pluginManager() {
        return manager;
    }

    /**
     * Reads and checks the telemetry options in {@code env.parsedOptions()}: unknown recorder ids,
     * {@code --testplan} missing while a recorder is enabled, bad intervals, log level or run id, and
     * the enabled plugins' own options. Call it right after parsing the command line.
     *
     * @throws TelemetryConfigurationException with a one-line message for the user
     */
    public TelemetrySettings configure() {
        var options = env.parsedOptions();
        List<TelemetryRecorderPluginBase> enabled = manager.enabledPlugins(TelemetrySettings.enabledRecorders(options));
        TelemetrySettings s = TelemetrySettings.from(options);
        manager.validate(enabled, options);
        this.enabledPlugins = List.copyOf(enabled);
        this.settings = s;
        router.defaultTestplan(s.testplan());
        return s;
    }

    /**
     * Checks the options a web UI's start form sets for the next test (the core ones and the enabled
     * plugins'), without applying them; throws {@link TelemetryConfigurationException} with one line.
     */
    public void checkOptions(ParsedOptions candidate) {
        TelemetrySettings.from(candidate);
        manager.validate(enabledPlugins, candidate);
    }

    /**
     * Checks the options (if {@link #configure()} was not called) and loads the enabled plugins'
     * recorders for the runner's role. Runs on the {@code init} event; the CLI may call it itself
     * right after creating the runner to get errors as exceptions (the event would only log them).
     * Idempotent.
     *
     * @throws TelemetryConfigurationException when an option is wrong or a plugin fails to load
     * @throws IllegalStateException           when the environment has no runner yet
     */
    public void initialize() {
        synchronized (lifecycle) {
            if (initialized) {
                return;
            }
            if (closed) {
                throw new IllegalStateException("telemetry coordinator is closed");
            }
            Runner runner = env.runner();
            if (runner == null) {
                throw new IllegalStateException("create the runner before initializing telemetry");
            }
            TelemetrySettings s = settings != null ? settings : configure();
            // the generator's health matters to every run (console warning, report marks), telemetry on or off
            monitor = new GeneratorMonitor(env, scheduler(), s.generatorLagWarning());
            if (!s.enabled()) {
                initialized = true;
                log.debug("no telemetry recorder enabled");
                return;
            }
            Runner.Role role = runner.role();
            if (role != Runner.Role.MASTER) {
                try {
                    runner.registerMessage(TestMetadata.MESSAGE_TYPE, this::onSetMetadata);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("a handler for '" + TestMetadata.MESSAGE_TYPE
                            + "' is already registered: only one TelemetryCoordinator per environment", e);
                }
            }
            List<TelemetryBaseRecorder> loaded = new ArrayList<>();
            try {
                for (TelemetryRecorderPluginBase plugin : enabledPlugins) {
                    List<TelemetryBaseRecorder> list = switch (role) {
                        case MASTER -> plugin.loadMasterTelemetryRecorders(env);
                        case WORKER -> plugin.loadWorkerTelemetryRecorders(env);
                        case LOCAL -> plugin.loadLocalTelemetryRecorders(env);
                    };
                    for (TelemetryBaseRecorder r : list == null ? List.<TelemetryBaseRecorder>of() : list) {
                        r.bind(this, plugin.id());
                        loaded.add(r);
                    }
                }
                if (loaded.stream().anyMatch(r -> r instanceof TelemetrySink)) {
                    for (TelemetryBaseRecorder r : StandardRecorders.load(env, role)) {
                        r.bind(this, STANDARD_RECORDS);
                        loaded.add(r);
                    }
                }
            } catch (RuntimeException e) {
                loaded.forEach(TelemetryBaseRecorder::close);
                if (e instanceof TelemetryConfigurationException tce) {
                    throw tce;
                }
                throw new TelemetryConfigurationException("telemetry recorders failed to load: " + e, e);
            }
            for (TelemetryBaseRecorder r : loaded) {
                recorders.add(r);
                if (r instanceof TelemetrySink sink) {
                    router.sinks().add(sink);
                }
            }
            initialized = true;
            systemUsage(); // starts the first CPU window now rather than at the first reading
            log.info("Telemetry enabled on {} ({}): recorders {}, testplan '{}'", role.className(), runner.sourceId(),
                    loaded.stream().map(TelemetryBaseRecorder::name).toList(), s.testplan());
        }
    }

    /** Whether {@link #initialize()} has run. */
    public boolean isInitialized() {
        return initialized;
    }

    /** The checked core options (checking them now if that was not done yet). */
    public TelemetrySettings settings() {
        TelemetrySettings s = settings;
        return s != null ? s : configure();
    }

    /** The enabled plugins, in the order they were enabled. */
    public List<TelemetryRecorderPluginBase> enabledPlugins() {
        return enabledPlugins;
    }

    /** The loaded recorders, in load order. */
    public List<TelemetryBaseRecorder> recorders() {
        return List.copyOf(recorders);
    }

    /**
     * The metadata of the current (or last) run, or null before the first test started (on a
     * worker: before the master's {@code set_metadata} arrived).
     */
    public TestMetadata current() {
        return router.metadata();
    }

    /** Adds a sink; records go to every sink (or to SLF4J when there is none). */
    public void addSink(TelemetrySink sink) {
        router.sinks().add(Objects.requireNonNull(sink));
    }

    public void removeSink(TelemetrySink sink) {
        router.sinks().remove(sink);
    }

    /** The system usage sampler shared by this environment's recorders. */
    public SystemUsageSampler systemUsage() {
        SystemUsageSampler s = sampler;
        if (s == null) {
            synchronized (lifecycle) {
                s = sampler;
                if (s == null) {
                    s = new SystemUsageSampler(scheduler());
                    sampler = s;
                }
            }
        }
        return s;
    }

    /** The single daemon thread that runs the recorders' periodic work. */
    ScheduledExecutorService scheduler() {
        ScheduledExecutorService s = scheduler;
        if (s == null) {
            synchronized (lifecycle) {
                s = scheduler;
                if (s == null) {
                    Runner runner = env.runner();
                    String id = runner == null ? "telemetry" : "telemetry-" + runner.sourceId();
                    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, NamedThreads.daemon(id));
                    executor.setRemoveOnCancelPolicy(true);
                    s = Executors.unconfigurableScheduledExecutorService(executor);
                    scheduler = s;
                }
            }
        }
        return s;
    }

    private void testStarting() {
        TelemetrySettings s = settings;
        Runner runner = env.runner();
        if (!initialized || s == null || !s.enabled() || runner == null || runner.role() == Runner.Role.WORKER) {
            return;
        }
        // the testplan and run id of this test: a web UI may have set others since the last one
        s = TelemetrySettings.current(env.parsedOptions(), s);
        settings = s;
        router.defaultTestplan(s.testplan());
        String runId = s.runId() != null ? s.runId() : HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Object data = CustomMessage.normalize(new TestMetadata(runId, s.testplan(), manager.testMetadata(enabledPlugins)).asMap());
        // applied here as the workers will read it (numbers widened), before the message goes out
        apply(TestMetadata.fromMap((Map<?, ?>) data));
        try {
            runner.sendMessage(TestMetadata.MESSAGE_TYPE, data);
        } catch (RuntimeException e) {
            log.warn("could not send {} to workers: {}", TestMetadata.MESSAGE_TYPE, e.toString(), e);
        }
    }

    private void onSetMetadata(Environment environment, CustomMessage message) {
        if (!(message.data() instanceof Map<?, ?> data)) {
            log.warn("ignored {} message without a map: {}", TestMetadata.MESSAGE_TYPE, message.data());
            return;
        }
        TestMetadata md = TestMetadata.fromMap(data);
        TestMetadata now = router.metadata();
        if (!md.equals(now)) {
            log.debug("telemetry metadata: {}", md);
        }
        apply(md);
    }

    /** Makes {@code md} the current metadata and emits the records held back for it. */
    void apply(TestMetadata md) {
        router.apply(md);
    }

    void emit(TelemetryBaseRecorder recorder, TelemetryLevel level, TelemetryType type, String name, Map<String, ?> fields) {
        TelemetrySettings s = settings;
        if (s != null && level.compareTo(s.logLevel()) < 0) {
            return;
        }
        Runner runner = env.runner();
        router.emit(recorder.recordLoggerName(), level, type, name, runner == null ? null : runner.role().className(),
                runner == null ? null : runner.sourceId(), fields);
    }

    /**
     * For the CLI's shutdown hook (Ctrl-C, SIGTERM) and any exit path: every recorder writes what an
     * unfinished test still owes (the JSON recorder: final and endpoint statistics, {@code test.stop})
     * and every sink pushes out its buffers. Safe to call several times, also after {@link #close()}.
     */
    public void flush() {
        // the recorders that are outputs last, so that the others' last records reach them
        for (boolean outputs : new boolean[] {false, true}) {
            for (TelemetryBaseRecorder r : recorders) {
                if (r instanceof TelemetrySink == outputs) {
                    try {
                        r.flush();
                    } catch (RuntimeException e) {
                        log.warn("telemetry recorder '{}' failed to flush: {}", r.name(), e.toString(), e);
                    }
                }
            }
        }
        router.flushSinks(false);
    }

    /**
     * Ends telemetry for this environment (done on {@code quitting}): closes the recorders (those
     * that are not sinks first, so their last records reach the sinks), flushes the other sinks,
     * stops the telemetry thread and unsubscribes. Idempotent.
     */
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        GeneratorMonitor m = monitor;
        if (m != null) {
            m.close(); // its last event (a saturation that clears at the end) reaches the recorders
        }
        router.drainWithoutMetadata();
        for (TelemetryBaseRecorder r : recorders) {
            if (!(r instanceof TelemetrySink)) {
                r.close();
            }
        }
        for (TelemetryBaseRecorder r : recorders) {
            if (r instanceof TelemetrySink) {
                r.close();
            }
        }
        router.flushSinks(false);
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdown();
            try {
                if (!s.awaitTermination(2, TimeUnit.SECONDS)) {
                    s.shutdownNow();
                }
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        env.events().initCommandLineParser.removeListener(onParser);
        env.events().init.removeListener(onInit);
        env.events().testStart.removeListener(onTestStart);
        env.events().quitting.removeListener(onQuitting);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }
}
