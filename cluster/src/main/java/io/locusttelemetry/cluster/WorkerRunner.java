package io.locusttelemetry.cluster;

import io.locusttelemetry.cluster.internal.WireStats;
import io.locusttelemetry.engine.AbstractRunner;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.protocol.Ack;
import io.locusttelemetry.protocol.ClientReady;
import io.locusttelemetry.protocol.ClientStopped;
import io.locusttelemetry.protocol.CorruptMessageException;
import io.locusttelemetry.protocol.ExceptionReport;
import io.locusttelemetry.protocol.Heartbeat;
import io.locusttelemetry.protocol.HeartbeatReply;
import io.locusttelemetry.protocol.LocustMessage;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.NodeId;
import io.locusttelemetry.protocol.NodeState;
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.protocol.Reconnect;
import io.locusttelemetry.protocol.Spawn;
import io.locusttelemetry.protocol.Spawning;
import io.locusttelemetry.protocol.SpawningComplete;
import io.locusttelemetry.protocol.Stats;
import io.locusttelemetry.protocol.Stop;
import io.locusttelemetry.protocol.WorkerConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 */
public final class WorkerRunner extends AbstractRunner {
    private static final Logger log = LoggerFactory.getLogger(WorkerRunner.class);

    /** Locust's intervals. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(3);

    /** Why a worker ended. */
    public enum ExitReason {
        /** The master sent {@code quit}. */
        MASTER_QUIT,
        /** {@link #quit()} was called in this process. */
        LOCAL_QUIT,
        /** The master stopped answering heartbeats. */
        MASTER_LOST,
        /** No {@code ack} came after all {@code client_ready} retries. */
        CONNECT_FAILED
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

    private final Options options;
    private final String nodeId;
    private final WorkerConnection connection;
    private final ExecutorService control;
    private final ScheduledExecutorService timers;
    private final CompletableFuture<ExitReason> quitted = new CompletableFuture<>();
    private final AtomicBoolean ending = new AtomicBoolean();
    private final Object reportLock = new Object();
    private final Set<String> unknownTypesLogged = ConcurrentHashMap.newKeySet();
    private volatile int index = -1;
    private volatile boolean acked;
    private volatile int readyRetries;
    private volatile double lastSpawnTimestamp = Double.NEGATIVE_INFINITY;
    private volatile int targetUsers;
    private volatile long lastMasterHeartbeatNanos;
    private volatile boolean masterHeartbeatSeen;
    private volatile long memoryBytes;
    private volatile double cpuPercent;
    private int usageSamples;
    private StatsSnapshot previousReport;
    private double previousReportTime;

    private WorkerRunner(Environment environment, Options options) {
        super(environment);
        this.options = options;
        this.nodeId = NodeId.generate();
        this.control = Executors.newSingleThreadExecutor(NamedThreads.daemon("worker-control"));
        this.timers = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("worker-timers"));
        this.memoryBytes = currentMemoryUsage();
        this.previousReportTime = RequestStats.nowMicros() / 1e6;
        environment.events().usageMonitor.addListener(u -> {
            memoryBytes = u.memoryUsage();
            // the first sample covers the JVM's start-up, not the load: report 0 until a real one, as psutil does
            if (usageSamples++ > 0) {
                cpuPercent = u.cpuUsage();
            }
        });
        environment.events().userError.addListener(e -> send(new ExceptionReport(
                e.exception() == null ? "" : e.exception().toString(), e.traceback() == null ? "" : e.traceback())));
        this.connection = WorkerConnection.connect(options.masterHost(), options.masterPort(), nodeId, new Listener(), NamedThreads.daemon("locust-worker-io"));
        log.info("Connecting to the master at {}:{} as {}", options.masterHost(), options.masterPort(), nodeId);
        send(ClientReady.foreign());
        long retryMillis = options.connectRetryInterval().toMillis();
        timers.scheduleWithFixedDelay(this::retryClientReady, retryMillis, retryMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Connects a worker for {@code environment} and announces it to the master; returns at once
     * (ZeroMQ connects in the background and keeps trying while the master is not up).
     */
    public static WorkerRunner connect(Environment environment, Options options) {
        return new WorkerRunner(environment, options);
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
        int i = index;
        return i < 0 ? "worker" : "worker-" + i;
    }

    /** This worker's node id (its ZeroMQ identity). */
    public String nodeId() {
        return nodeId;
    }

    /** The index the master gave in its {@code ack}, or -1 before it. */
    public int workerIndex() {
        return index;
    }

    /** True once the master acknowledged this worker. */
    public boolean isConnected() {
        return acked;
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
        connection.send(new Message(type, data, nodeId));
    }

    @Override
    public void sendMessage(String type, Object data, String clientId) {
        sendMessage(type, data);
    }

    private void send(LocustMessage message) {
        connection.send(message);
    }

    // ---- connection --------------------------------------------------------------------------

    private void retryClientReady() {
        if (acked || ending.get()) {
            return;
        }
        if (readyRetries >= options.connectRetries()) {
            long seconds = options.connectRetryInterval().toSeconds() * options.connectRetries();
            log.error("No answer from the master at {}:{} after {} attempts in {} s: giving up", options.masterHost(),
                    options.masterPort(), options.connectRetries() + 1, seconds);
            end(ExitReason.CONNECT_FAILED, null);
            return;
        }
        readyRetries++;
        log.info("Still waiting for the master at {}:{} to answer (attempt {} of {})", options.masterHost(), options.masterPort(),
                readyRetries + 1, options.connectRetries() + 1);
        send(ClientReady.foreign());
    }

    private final class Listener implements WorkerConnection.Listener {
        @Override
        public void onMessage(Message message, LocustMessage typed) {
            if (ending.get() && !(typed instanceof Quit)) {
                return;
            }
            switch (typed) {
                case Spawn s -> {
                    send(new Spawning());
                    runOnControl(() -> onSpawn(s));
                }
                case HeartbeatReply h -> {
                    lastMasterHeartbeatNanos = System.nanoTime();
                    masterHeartbeatSeen = true;
                    environment.events().heartbeatReceived.fire(new Events.Heartbeat(message.nodeId(), System.currentTimeMillis()));
                }
                case Reconnect r -> {
                    log.warn("Received reconnect message from master. Resetting the connection.");
                    connection.reconnect();
                }
                case Ack a -> runOnControl(() -> onAck(a));
                case Stop s -> runOnControl(WorkerRunner.this::onStop);
                case Quit q -> runOnControl(() -> {
                    log.info("Got quit message from master, shutting down...");
                    end(ExitReason.MASTER_QUIT, null);
                });
                case SpawningComplete c -> log.debug("The master reports {} users in all", c.userCount());
                case io.locusttelemetry.protocol.CustomTypeMessage c -> runOnControl(() -> onCustom(message));
                default -> logUnknown(message.type());
            }
        }

        @Override
        public void onCorruptFrame(CorruptMessageException error) {
            log.warn("Discarded a corrupt message from the master: {}", error.getMessage());
        }
    }

    private void runOnControl(Runnable task) {
        try {
            control.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("Worker failed handling a master message: {}", e.toString(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Worker is ending; dropped a task");
        }
    }

    private void logUnknown(String type) {
        if (unknownTypesLogged.add(type)) {
            log.warn("Unknown message type received from the master: {}", type);
        }
    }

    private void onAck(Ack ack) {
        boolean first = !acked;
        index = (int) ack.index();
        acked = true;
        if (first) {
            log.info("Connected to the master at {}:{} as worker-{} ({})", options.masterHost(), options.masterPort(), index, nodeId);
            lastMasterHeartbeatNanos = System.nanoTime();
            timers.scheduleAtFixedRate(this::heartbeat, 0, HEARTBEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            timers.scheduleAtFixedRate(this::report, 0, REPORT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            log.debug("Acknowledged again as worker-{}", index);
        }
    }

    private void onCustom(Message message) {
        if (!dispatchCustomMessage(new CustomMessage(message.type(), message.data(), message.nodeId()))) {
            logUnknown(message.type());
        } else {
            log.debug("Received {} message from master", message.type());
        }
    }

    // ---- test life ---------------------------------------------------------------------------

    private void onSpawn(Spawn spawn) {
        if (spawn.timestamp() <= lastSpawnTimestamp) {
            log.info("Discarded a spawn message whose timestamp is not newer than the previous one");
            return;
        }
        lastSpawnTimestamp = spawn.timestamp();
        environment.host(spawn.host());
        environment.stopTimeout(spawn.stopTimeout() == null ? 0 : spawn.stopTimeout());
        applyMasterOptions(spawn.parsedOptions());
        if (state != RunnerState.SPAWNING && state != RunnerState.RUNNING) {
            synchronized (reportLock) {
                environment.stats().reset();
                previousReport = null;
                previousReportTime = RequestStats.nowMicros() / 1e6;
            }
            environment.statsHistory().clear();
            clearExceptions();
            environment.events().testStart.fire(environment);
        }
        state = RunnerState.SPAWNING;
        Map<String, Integer> counts = new LinkedHashMap<>();
        spawn.userClassesCount().forEach((k, v) -> counts.put(k, (int) Math.max(0, Math.min(Integer.MAX_VALUE, v))));
        targetUsers = counts.values().stream().mapToInt(Integer::intValue).sum();
        log.debug("Spawning {}", counts);
        applyUserCounts(counts);
        if (ending.get()) {
            return;
        }
        state = RunnerState.RUNNING;
        Map<String, Long> running = new LinkedHashMap<>();
        userClassesCount().forEach((k, v) -> running.put(k, (long) v));
        send(SpawningComplete.ofWorker(running));
        environment.events().spawningComplete.fire(new Events.SpawningComplete(userCount()));
    }

    /** Takes the options the worker's own parser does not define, plus those Locust always passes on. */
    private void applyMasterOptions(Map<String, Object> fromMaster) {
        ParsedOptions own = environment.parsedOptions();
        ParsedOptions merged = own;
        for (Map.Entry<String, Object> e : fromMaster.entrySet()) {
            String k = e.getKey();
            boolean passOn = k.equals("tags") || k.equals("exclude_tags") || k.equals("expect_workers");
            if (passOn || !own.asMap().containsKey(k)) {
                merged = merged.with(k, e.getValue());
            }
        }
        if (merged != own) {
            environment.parsedOptions(merged);
        }
        if (fromMaster.containsKey("tags") || fromMaster.containsKey("exclude_tags")) {
            Set<String> tags = tagSet(fromMaster.get("tags"));
            Set<String> exclude = tagSet(fromMaster.get("exclude_tags"));
            if (fromMaster.containsKey("tags") && fromMaster.containsKey("exclude_tags")) {
                environment.tags(tags, exclude);
            } else if (fromMaster.containsKey("tags")) {
                environment.tags(tags, environment.excludeTags());
            } else {
                environment.tags(environment.tags(), exclude);
            }
        }
    }

    private static Set<String> tagSet(Object value) {
        if (value instanceof List<?> list && !list.isEmpty()) {
            Set<String> out = new HashSet<>();
            list.forEach(t -> out.add(String.valueOf(t)));
            return out;
        }
        if (value instanceof String s && !s.isBlank()) {
            Set<String> out = new HashSet<>();
            for (String t : s.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.trim());
                }
            }
            return out;
        }
        return null;
    }

    private void onStop() {
        stopUsersLocally();
        send(new ClientStopped());
        double wait = environment.stopTimeout();
        if (wait > 0) {
            try {
                Thread.sleep((long) (wait * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!ending.get()) {
            send(ClientReady.foreign());
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

    /** Stops everything once; reports and says goodbye unless the connection never worked. */
    private void end(ExitReason reason, String why) {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        NamedThreads.startNonDaemon("worker-quit", () -> {
            try {
                if (why != null) {
                    log.error(why);
                }
                RunnerState was = state;
                if (was == RunnerState.SPAWNING || was == RunnerState.RUNNING) {
                    state = RunnerState.STOPPING;
                    environment.events().testStopping.fire(environment);
                    stopAllUsers();
                    state = RunnerState.STOPPED;
                    environment.events().testStop.fire(environment);
                }
                state = RunnerState.STOPPED;
                if (acked && reason != ExitReason.MASTER_LOST) {
                    report();
                }
                if (reason != ExitReason.CONNECT_FAILED && reason != ExitReason.MASTER_LOST) {
                    send(new Quit());
                }
            } catch (RuntimeException e) {
                log.error("Error while shutting the worker down: {}", e.toString(), e);
            } finally {
                timers.shutdownNow();
                control.shutdown();
                connection.close();
                shutdownScheduler();
                quitted.complete(reason);
            }
        });
    }

    // ---- periodic messages -------------------------------------------------------------------

    private String heartbeatState() {
        RunnerState s = state;
        return switch (s) {
            case SPAWNING -> NodeState.SPAWNING;
            case RUNNING -> NodeState.RUNNING;
            default -> NodeState.READY;
        };
    }

    private void heartbeat() {
        try {
            if (ending.get()) {
                return;
            }
            if (masterHeartbeatSeen) {
                long silentNanos = System.nanoTime() - lastMasterHeartbeatNanos;
                if (silentNanos > options.masterHeartbeatTimeout().toNanos()) {
                    end(ExitReason.MASTER_LOST, String.format("No heartbeat from the master at %s:%d for %d s: it is gone, quitting",
                            options.masterHost(), options.masterPort(), options.masterHeartbeatTimeout().toSeconds()));
                    return;
                }
            }
            send(new Heartbeat(heartbeatState(), cpuPercent, memoryBytes));
            environment.events().heartbeatSent.fire(new Events.Heartbeat(nodeId, System.currentTimeMillis()));
        } catch (RuntimeException e) {
            log.warn("Heartbeat failed: {}", e.toString());
        }
    }

    /** Sends the statistics of the interval since the previous report. */
    private void report() {
        try {
            Message message;
            synchronized (reportLock) {
                double now = RequestStats.nowMicros() / 1e6;
                StatsSnapshot snapshot = environment.stats().snapshot();
                StatsSnapshot delta = previousReport == null ? snapshot : snapshot.minus(previousReport, previousReportTime);
                previousReport = snapshot;
                previousReportTime = now;
                Stats stats = WireStats.report(delta, userClassesCount());
                message = stats.toMessage(nodeId);
                @SuppressWarnings("unchecked")
                Map<String, Object> data = (Map<String, Object>) message.data();
                environment.events().reportToMaster.fire(new Events.Report(nodeId, data));
                connection.send(message);
            }
        } catch (RuntimeException e) {
            log.warn("Stats report failed: {}", e.toString(), e);
        }
    }

    /** The unknown message types logged so far (for diagnostics). */
    List<String> unknownTypes() {
        return new ArrayList<>(unknownTypesLogged);
    }
}
