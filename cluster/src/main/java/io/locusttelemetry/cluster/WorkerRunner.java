package io.locusttelemetry.cluster;

import io.locusttelemetry.cluster.internal.MasterLink;
import io.locusttelemetry.cluster.internal.MasterOptions;
import io.locusttelemetry.cluster.internal.UserClassCheck;
import io.locusttelemetry.cluster.internal.WorkerReporter;
import io.locusttelemetry.engine.AbstractRunner;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.engine.process.LimitedLog;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.protocol.ClientReady;
import io.locusttelemetry.protocol.ClientStopped;
import io.locusttelemetry.protocol.ExceptionReport;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.NodeId;
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.protocol.Spawn;
import io.locusttelemetry.protocol.SpawningComplete;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker of a Locust cluster: connects to a master (a Python Locust master or a
 * {@link MasterRunner}) over Locust's own protocol and runs the users the master assigns to it.
 *
 * <p>Its life follows Locust's worker: {@code client_ready} (re-sent every 5 s until the
 * {@code ack}, giving up after 60 tries), then a heartbeat every second and a statistics delta every
 * 3 s; {@code spawn} messages set absolute user counts per class; {@code stop} stops the users and
 * announces the worker again; {@code quit} sends a final report and ends the worker. Custom messages
 * registered with {@link #registerMessage} are delivered in arrival order, so a message a master
 * sends from its {@code test_start} listeners is handled before the first {@code spawn}. A master
 * that answers heartbeats (Locust 2.19 and later, and {@link MasterRunner}) and then stays silent
 * for {@link Options#masterHeartbeatTimeout()} is taken as lost, and the worker quits.
 *
 * <p>{@link #quitted()} completes when the worker has ended, with the reason.
 *
 * <p>Inside, a {@code MasterLink} keeps the connection and routes the master's messages, and a
 * {@code WorkerReporter} sends the heartbeats and reports. Spawn and stop run in arrival order on
 * the one control thread and the end once on a thread of its own; none holds a lock while it
 * calls listeners (the runner state is volatile).
 */
public final class WorkerRunner extends AbstractRunner {
    private static final Logger log = LoggerFactory.getLogger(WorkerRunner.class);
    /** The {@link #REQUEST_GRACE} when the master says quit: a Locust master waits 0.5 s for the final report. */
    public static final Duration QUIT_REQUEST_GRACE = Duration.ofMillis(300);

    /** Why a worker ended. */
    public enum ExitReason {
        /** The master sent {@code quit}. */
        MASTER_QUIT,
        /** {@link #quit()} was called in this process. */
        LOCAL_QUIT,
        /** The master stopped answering heartbeats. */
        MASTER_LOST,
        /** No {@code ack} came after all {@code client_ready} retries. */
        CONNECT_FAILED,
        /** The worker's socket failed (the JVM ran out of memory, or ZeroMQ failed). */
        TRANSPORT_FAILED
    }

    /**
     * How a worker connects.
     *
     * @param masterHost             the master's host name or address (Locust's default 127.0.0.1)
     * @param masterPort             the master's port (default 5557)
     * @param masterHeartbeatTimeout silence after which a master that answered heartbeats is taken as lost (60 s)
     * @param connectRetryInterval   how long to wait for an {@code ack} before sending {@code client_ready} again (5 s)
     * @param connectRetries         how many times {@code client_ready} is re-sent before giving up (60)
     */
    public record Options(String masterHost, int masterPort, Duration masterHeartbeatTimeout, Duration connectRetryInterval,
            int connectRetries) {

        public Options {
            Objects.requireNonNull(masterHost, "masterHost");
            Objects.requireNonNull(masterHeartbeatTimeout, "masterHeartbeatTimeout");
            Objects.requireNonNull(connectRetryInterval, "connectRetryInterval");
        }

        /** Locust's defaults for a master at {@code host:port}. */
        public static Options of(String host, int port) {
            return new Options(host, port, Duration.ofSeconds(60), Duration.ofSeconds(5), 60);
        }

        public Options withMasterHeartbeatTimeout(Duration timeout) {
            return new Options(masterHost, masterPort, timeout, connectRetryInterval, connectRetries);
        }

        public Options withConnectRetries(Duration interval, int retries) {
            return new Options(masterHost, masterPort, masterHeartbeatTimeout, interval, retries);
        }
    }

    private final ExecutorService control = Executors.newSingleThreadExecutor(NamedThreads.daemon("worker-control"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("worker-timers"));
    private final CompletableFuture<ExitReason> quitted = new CompletableFuture<>();
    private final AtomicBoolean ending = new AtomicBoolean();
    private final MasterLink link;
    private final WorkerReporter reporter;
    private final AtomicBoolean announced = new AtomicBoolean();
    private final LimitedLog limited = new LimitedLog(log);
    private final UserClassCheck.OnWorker missingClasses = new UserClassCheck.OnWorker();
    private volatile double lastSpawnTimestamp = Double.NEGATIVE_INFINITY;
    private volatile int targetUsers;

    private WorkerRunner(Environment environment, Options options) {
        super(environment);
        WorkerHooks hooks = new WorkerHooks(this);
        this.link = new MasterLink(options, NodeId.generate(), hooks, this::runOnControl);
        this.reporter = new WorkerReporter(environment, link, options, hooks, timers, currentMemoryUsage());
        environment.events().userError.addListener(e -> link.send(new ExceptionReport(
                e.exception() == null ? "" : e.exception().toString(), e.traceback() == null ? "" : e.traceback())));
    }

    /**
     * Connects a worker for {@code environment} and announces it to the master; returns at once
     * (ZeroMQ connects in the background and keeps trying while the master is not up).
     */
    public static WorkerRunner connect(Environment environment, Options options) {
        WorkerRunner worker = open(environment, options);
        worker.announce();
        return worker;
    }

    /**
     * Connects a worker without announcing it yet: the master does not know it, and sends it
     * nothing, until {@link #announce()}. Meanwhile its setup can register message handlers and
     * listeners (the command line runs the locustfile's init hooks and fires {@code init} here),
     * so none of the master's first messages finds it unprepared.
     */
    public static WorkerRunner open(Environment environment, Options options) {
        return new WorkerRunner(environment, options);
    }

    /** Announces the worker to its master ({@code client_ready}, re-sent until the {@code ack}); once. */
    public void announce() {
        if (announced.compareAndSet(false, true)) {
            link.announce(timers);
        }
    }

    /** Connects with Locust's defaults to the master at {@code host:port}. */
    public static WorkerRunner connect(Environment environment, String masterHost, int masterPort) {
        return connect(environment, Options.of(masterHost, masterPort));
    }

    @Override
    public Role role() {
        return Role.WORKER;
    }

    /** {@code worker-<index>} once the master acknowledged this worker, {@code worker} before. */
    @Override
    public String sourceId() {
        int i = link.index();
        return i < 0 ? "worker" : "worker-" + i;
    }

    /** This worker's node id (its ZeroMQ identity). */
    public String nodeId() {
        return link.nodeId();
    }

    /** The index the master gave in its {@code ack}, or -1 before it. */
    public int workerIndex() {
        return link.index();
    }

    /** True once the master acknowledged this worker. */
    public boolean isConnected() {
        return link.acked();
    }

    /** Completes when the worker has ended. */
    public CompletableFuture<ExitReason> quitted() {
        return quitted;
    }

    @Override
    public int targetUserCount() {
        return targetUsers;
    }

    /** Workers do not start tests themselves: their master does. */
    @Override
    public void start(int userCount, double spawnRate) {
        throw new UnsupportedOperationException("a worker's users are started by its master");
    }

    /** Stops this worker's users without telling the master (it will dispatch again on its next step). */
    @Override
    public void stop() {
        runOnControl(this::stopUsersLocally);
    }

    /** Ends the worker: stops the users, sends a final report and {@code quit} to the master. */
    @Override
    public void quit() {
        end(ExitReason.LOCAL_QUIT, null);
        quitted.join();
    }

    /** Sends a custom message to the master ({@code clientId} is ignored on a worker). */
    @Override
    public void sendMessage(String type, Object data) {
        link.send(new Message(type, data, link.nodeId()));
    }

    @Override
    public void sendMessage(String type, Object data, String clientId) {
        sendMessage(type, data);
    }

    /**
     * User classes the master gave this worker users of that its locustfile does not have: none
     * of those users ran. Each was logged once as an error and reported to the master as a failure
     * ({@code SPAWN <class>}); the command line exits with code 1 when any is listed.
     */
    public Set<String> missingUserClasses() {
        return missingClasses.classes();
    }

    private void runOnControl(Runnable task) {
        try {
            control.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    limited.error("control", "Worker failed handling a master message: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("Worker is ending; dropped a task");
        }
    }

    // ---- test life (on the control thread) ---------------------------------------------------

    void onSpawn(Spawn spawn) {
        if (!Double.isFinite(spawn.timestamp()) || spawn.timestamp() <= lastSpawnTimestamp) {
            limited.log(org.slf4j.event.Level.INFO, "stale-spawn", "Discarded a spawn message whose timestamp ({}) is not newer than the previous one",
                    spawn.timestamp());
            return;
        }
        lastSpawnTimestamp = spawn.timestamp();
        environment.host(spawn.host());
        Double stopTimeout = spawn.stopTimeout();
        environment.stopTimeout(stopTimeout == null || !(stopTimeout >= 0) || stopTimeout.isInfinite() ? 0 : stopTimeout);
        MasterOptions.apply(environment, spawn.parsedOptions());
        if (state != RunnerState.SPAWNING && state != RunnerState.RUNNING) {
            reporter.newTest();
            missingClasses.newTest();
            environment.statsHistory().clear();
            clearExceptions();
            environment.events().testStart.fire(environment);
        }
        state = RunnerState.SPAWNING;
        Map<String, Integer> counts = new LinkedHashMap<>();
        spawn.userClassesCount().forEach((k, v) -> counts.put(k, (int) Math.max(0, Math.min(Integer.MAX_VALUE, v))));
        targetUsers = counts.values().stream().mapToInt(Integer::intValue).sum();
        log.debug("Spawning {}", counts);
        for (String missing : applyUserCounts(counts)) {
            missingClasses.missing(nodeId(), missing, counts.get(missing), classesByName().keySet(), environment.stats(), log);
        }
        if (ending.get()) {
            return;
        }
        state = RunnerState.RUNNING;
        Map<String, Long> running = new LinkedHashMap<>();
        userClassesCount().forEach((k, v) -> running.put(k, (long) v));
        link.send(SpawningComplete.ofWorker(running));
        environment.events().spawningComplete.fire(new Events.SpawningComplete(userCount()));
    }

    /**
     * The master may not know this worker (it asked for a reconnect, or stopped answering): like a
     * new worker, it stops its users, reports what they did, starts its statistics afresh and
     * announces itself, so a master that takes it (the same, or a new one) counts from there.
     */
    private void reannounce(String why) {
        if (ending.get()) {
            return;
        }
        if (!link.acked()) {
            link.announceAgain();
            return;
        }
        limited.warn("reannounce", "{}: stopping the users and announcing this worker again", why);
        stopUsersLocally();
        reporter.finalReport();
        reporter.newTest();
        lastSpawnTimestamp = Double.NEGATIVE_INFINITY;
        link.announceAgain();
    }

    void onStop() {
        stopUsersLocally();
        reporter.finalReport(); // what the users did up to their end, before the master hears they stopped
        link.send(new ClientStopped());
        double wait = environment.stopTimeout();
        if (wait > 0) {
            try {
                Thread.sleep((long) (wait * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!ending.get()) {
            link.send(ClientReady.foreign());
        }
    }

    private void stopUsersLocally() {
        RunnerState was = state;
        if (was != RunnerState.SPAWNING && was != RunnerState.RUNNING) {
            state = RunnerState.READY;
            return;
        }
        state = RunnerState.STOPPING;
        environment.events().testStopping.fire(environment);
        stopAllUsers();
        targetUsers = 0;
        state = RunnerState.READY;
        environment.events().testStop.fire(environment);
    }

    /** Stops everything once; reports and says goodbye when it is asked to quit. */
    void end(ExitReason reason, String why) {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        NamedThreads.startNonDaemon("worker-quit", () -> {
            try {
                if (why != null) {
                    log.error(why);
                }
                boolean active = state == RunnerState.SPAWNING || state == RunnerState.RUNNING;
                if (active) {
                    state = RunnerState.STOPPING;
                    environment.events().testStopping.fire(environment);
                }
                // also when not active: the users of a stop under way (on the control thread) end before the report
                stopAllUsers(reason == ExitReason.MASTER_QUIT ? QUIT_REQUEST_GRACE : REQUEST_GRACE);
                state = RunnerState.STOPPED;
                if (active) {
                    environment.events().testStop.fire(environment);
                }
                if (reason == ExitReason.MASTER_QUIT || reason == ExitReason.LOCAL_QUIT) {
                    if (link.acked()) {
                        reporter.finalReport();
                    }
                    link.send(new Quit());
                }
            } catch (RuntimeException e) {
                log.error("Error while shutting the worker down: {}", e.toString(), e);
            } finally {
                timers.shutdownNow();
                control.shutdown();
                link.close();
                shutdownScheduler();
                quitted.complete(reason);
            }
        });
    }

    // ---- what WorkerHooks hands on to this runner -------------------------------------------------

    WorkerReporter reporter() {
        return reporter;
    }

    boolean isEnding() {
        return ending.get();
    }

    boolean deliver(CustomMessage message) {
        return dispatchCustomMessage(message);
    }

    void reannounceOnControl(String why) {
        runOnControl(() -> reannounce(why));
    }
}
