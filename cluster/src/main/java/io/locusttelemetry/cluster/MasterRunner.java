package io.locusttelemetry.cluster;

import io.locusttelemetry.cluster.internal.WireStats;
import io.locusttelemetry.engine.AbstractRunner;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.protocol.Ack;
import io.locusttelemetry.protocol.ClientReady;
import io.locusttelemetry.protocol.ClientStopped;
import io.locusttelemetry.protocol.CorruptMessageException;
import io.locusttelemetry.protocol.ExceptionReport;
import io.locusttelemetry.protocol.Heartbeat;
import io.locusttelemetry.protocol.HeartbeatReply;
import io.locusttelemetry.protocol.Identity;
import io.locusttelemetry.protocol.LocustMessage;
import io.locusttelemetry.protocol.LocustfileReply;
import io.locusttelemetry.protocol.LocustfileRequest;
import io.locusttelemetry.protocol.Logs;
import io.locusttelemetry.protocol.MasterServer;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.NodeState;
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.protocol.Reconnect;
import io.locusttelemetry.protocol.Spawn;
import io.locusttelemetry.protocol.Spawning;
import io.locusttelemetry.protocol.SpawningComplete;
import io.locusttelemetry.protocol.Stats;
import io.locusttelemetry.protocol.Stop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master of a Locust cluster: binds Locust's ROUTER socket, accepts workers (Python Locust
 * workers of any 2.x version, including Debian's build that sends an empty version, and
 * {@link WorkerRunner}s), dispatches users to them as Locust's dispatcher does and merges their
 * statistics into {@link Environment#stats()} exactly as a Locust master does.
 *
 * <ul>
 *   <li>Each worker gets a stable index in its {@code ack}. It is {@code missing} when no heartbeat
 *       came for about 5 s and is forgotten after about 65 s.</li>
 *   <li>{@link #start} fires {@code test_start} (whose listeners may {@link #sendMessage} to the
 *       workers, such as telemetry's {@code set_metadata}) before the first {@code spawn}; then users
 *       go out in steps of {@code max(1, floor(rate))} every {@code step / rate} seconds, as absolute
 *       per-class counts per worker. When a worker joins, leaves or goes missing during a test, the
 *       users are redistributed at once. Messages broadcast from {@code test_start} listeners are
 *       also sent to workers that join later, before their first {@code spawn}.</li>
 *   <li>Heartbeats are answered (with Locust 2.19's nil {@code heartbeat}) for workers that understand it, once a second for all that sent one.</li>
 *   <li>Unlike a Python master it never stops on bad input: a malformed frame, or a built-in message
 *       whose data has the wrong shape, is logged and answered with {@code reconnect} to its real sender.</li>
 * </ul>
 */
public final class MasterRunner extends AbstractRunner {
    private static final Logger log = LoggerFactory.getLogger(MasterRunner.class);

    static final int HEARTBEAT_LIVENESS = 3;
    static final int HEARTBEAT_DEAD = -60;
    static final Duration WAIT_FOR_REPORTS_AFTER_RAMP_UP = Duration.ofSeconds(1);

    private static final class Node {
        final String id;
        final int index;
        final Object version;
        final boolean answerHeartbeats;
        String state = NodeState.READY;
        int liveness = HEARTBEAT_LIVENESS;
        double cpu;
        long memory;
        boolean cpuWarned;
        /** A heartbeat came in since the last round of replies. */
        boolean replyOwed;
        Map<String, Long> counts = Map.of();

        Node(String id, int index, Object version) {
            this.id = id;
            this.index = index;
            this.version = version;
            this.answerHeartbeats = understandsHeartbeatReplies(version);
        }

        int users() {
            long sum = 0;
            for (Long v : counts.values()) {
                sum += v == null ? 0 : v;
            }
            return (int) Math.min(Integer.MAX_VALUE, Math.max(0, sum));
        }

        boolean active() {
            return NodeState.READY.equals(state) || NodeState.SPAWNING.equals(state) || NodeState.RUNNING.equals(state);
        }
    }

    private record Broadcast(String type, Object data) {}

    private final MasterServer server;
    private final CountDownLatch bound = new CountDownLatch(1);
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> indexes = new ConcurrentHashMap<>();
    private final ExecutorService control = Executors.newSingleThreadExecutor(NamedThreads.daemon("master-control"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("master-timers"));
    private final CompletableFuture<Void> quitted = new CompletableFuture<>();
    private final AtomicBoolean quitting = new AtomicBoolean();
    private final Set<String> unknownTypesLogged = ConcurrentHashMap.newKeySet();
    private final List<Broadcast> testBroadcasts = new ArrayList<>();
    private final Set<String> awaitingQuit = ConcurrentHashMap.newKeySet();
    private final AtomicLong malformedFrames = new AtomicLong();
    private final AtomicLong limitedWarnings = new AtomicLong();
    private volatile long malformedLoggedAtNanos;
    private volatile Thread socketThread;
    private volatile boolean quitWhenLastWorkerLeaves;
    private boolean capturingBroadcasts;
    private boolean dispatchOpen;
    private int generation;
    private Thread dispatcher;
    private volatile int targetUsers;
    private volatile double spawnRate;
    private int dispatchedUsers;
    private double lastSpawnTimestamp;

    private MasterRunner(Environment environment, String bindHost, int bindPort) {
        super(environment);
        this.server = MasterServer.bind(bindHost, bindPort, new Listener(), NamedThreads.daemon("locust-master-io"));
        bound.countDown();
        timers.scheduleAtFixedRate(this::checkHeartbeats, 1, 1, TimeUnit.SECONDS);
        log.info("Master listening on {} (port {})", server.endpoint(), server.port());
    }

    /**
     * Binds the master socket and starts accepting workers.
     *
     * @param bindHost interface to listen on, {@code "*"} for all (Locust's default)
     * @param bindPort port (Locust's default 5557); 0 picks a free port, see {@link #port()}
     * @throws io.locusttelemetry.protocol.TransportException when the address cannot be bound
     */
    public static MasterRunner bind(Environment environment, String bindHost, int bindPort) {
        return new MasterRunner(environment, bindHost, bindPort);
    }

    @Override
    public Role role() {
        return Role.MASTER;
    }

    @Override
    public String sourceId() {
        return "master";
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /**
     * Whether the master quits when the last worker quits or goes missing during a test, as a
     * headless Locust master does. Off by default.
     */
    public void quitWhenLastWorkerLeaves(boolean enabled) {
        this.quitWhenLastWorkerLeaves = enabled;
    }

    /** Completes when {@link #quit()} has finished. */
    public CompletableFuture<Void> quitted() {
        return quitted;
    }

    /** The workers the master knows, by index. */
    public synchronized List<WorkerInfo> workers() {
        List<WorkerInfo> out = new ArrayList<>();
        for (Node n : sortedNodes(nodes.values())) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            n.counts.forEach((k, v) -> counts.put(k, (int) (long) v));
            out.add(new WorkerInfo(n.id, n.index, n.state, counts, n.cpu, n.memory, n.version));
        }
        return out;
    }

    /** Workers that are ready, spawning or running. */
    public synchronized int workerCount() {
        return (int) nodes.values().stream().filter(Node::active).count();
    }

    /** Workers in state {@code ready}, which {@code --expect-workers} counts. */
    public synchronized int readyWorkerCount() {
        return (int) nodes.values().stream().filter(n -> NodeState.READY.equals(n.state)).count();
    }

    /**
     * Waits until at least {@code count} workers are ready, logging progress every second as Locust does.
     *
     * @param maxWait zero or negative to wait forever
     * @return false when the time ran out or the master quit
     */
    public boolean awaitWorkers(int count, Duration maxWait) {
        long deadline = maxWait.isZero() || maxWait.isNegative() ? Long.MAX_VALUE : System.nanoTime() + maxWait.toNanos();
        long nextLog = System.nanoTime();
        while (readyWorkerCount() < count) {
            if (quitting.get()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (System.nanoTime() >= nextLog) {
                log.info("Waiting for workers to be ready, {} of {} connected", readyWorkerCount(), count);
                nextLog = System.nanoTime() + 1_000_000_000L;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized int userCount() {
        int sum = 0;
        for (Node n : nodes.values()) {
            if (!NodeState.MISSING.equals(n.state)) {
                sum += n.users();
            }
        }
        return sum;
    }

    @Override
    public synchronized Map<String, Integer> userClassesCount() {
        Map<String, Integer> out = new LinkedHashMap<>();
        dispatcher().classNames().forEach(c -> out.put(c, 0));
        for (Node n : nodes.values()) {
            if (!NodeState.MISSING.equals(n.state)) {
                n.counts.forEach((k, v) -> out.merge(k, (int) (long) v, Integer::sum));
            }
        }
        return out;
    }

    @Override
    public int targetUserCount() {
        return targetUsers;
    }

    // ---- test control ------------------------------------------------------------------------

    /**
     * Starts a test (or changes the user count of the running one): fires {@code test_start} when
     * idle, then dispatches. Without workers it logs a warning and does nothing, as Locust does.
     */
    @Override
    public void start(int userCount, double spawnRate) {
        if (userCount < 0) {
            throw new IllegalArgumentException("user count must not be negative");
        }
        if (!(spawnRate > 0)) {
            throw new IllegalArgumentException("spawn rate must be above 0");
        }
        boolean fresh;
        synchronized (this) {
            if (quitting.get()) {
                throw new IllegalStateException("the master is quitting");
            }
            if (nodes.values().stream().noneMatch(Node::active)) {
                log.warn("You can't start a distributed test before at least one worker processes has connected");
                return;
            }
            fresh = state != RunnerState.SPAWNING && state != RunnerState.RUNNING;
            if (fresh) {
                environment.stats().reset();
                environment.statsHistory().clear();
                clearExceptions();
                dispatchedUsers = 0;
                dispatchOpen = false;
                testBroadcasts.clear();
            }
            targetUsers = userCount;
            this.spawnRate = spawnRate;
            state = RunnerState.SPAWNING;
        }
        if (fresh) {
            synchronized (this) {
                capturingBroadcasts = true;
            }
            try {
                environment.events().testStart.fire(environment);
            } finally {
                synchronized (this) {
                    capturingBroadcasts = false;
                }
            }
        }
        synchronized (this) {
            if (state != RunnerState.SPAWNING && state != RunnerState.RUNNING) {
                return;
            }
            dispatchOpen = true;
            int gen = ++generation;
            if (dispatcher != null) {
                dispatcher.interrupt();
            }
            log.info("Sending spawn jobs of {} users at {} spawn rate to {} ready workers", userCount, formatRate(spawnRate),
                    activeNodes().size());
            Thread t = NamedThreads.newDaemon("master-dispatch", () -> ramp(gen, userCount, spawnRate));
            dispatcher = t;
            t.start();
        }
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }

    private void ramp(int gen, int target, double rate) {
        int perStep = (int) Math.max(1, Math.floor(rate));
        long pauseNanos = (long) (perStep / rate * 1e9);
        try {
            while (true) {
                int next;
                synchronized (this) {
                    if (gen != generation) {
                        return;
                    }
                    int current = dispatchedUsers;
                    next = current < target ? Math.min(target, current + perStep)
                            : current > target ? Math.max(target, current - perStep) : target;
                    sendDistribution(next);
                }
                if (next == target) {
                    break;
                }
                Thread.sleep(pauseNanos / 1_000_000, (int) (pauseNanos % 1_000_000));
            }
            long deadline = System.nanoTime() + WAIT_FOR_REPORTS_AFTER_RAMP_UP.toNanos();
            while (System.nanoTime() < deadline && userCount() != target) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            return;
        }
        int users;
        Map<String, Integer> counts;
        List<Node> latest = new ArrayList<>();
        synchronized (this) {
            if (gen != generation || state != RunnerState.SPAWNING) {
                return;
            }
            state = RunnerState.RUNNING;
            users = userCount();
            counts = userClassesCount();
            for (Node n : activeNodes()) {
                if (understandsSpawningCompleteBroadcast(n.version)) {
                    latest.add(n);
                }
            }
        }
        log.info("All users spawned: {} ({} total users)", counts, users);
        for (Node n : latest) {
            server.send(n.id, SpawningComplete.broadcast(users));
        }
        environment.events().spawningComplete.fire(new Events.SpawningComplete(users));
    }

    /** Sends every active worker its absolute targets for {@code total} users; caller holds the lock. */
    private void sendDistribution(int total) {
        dispatchedUsers = total;
        List<Node> active = activeNodes();
        if (active.isEmpty()) {
            return;
        }
        List<String> ids = active.stream().map(n -> n.id).toList();
        Map<String, Map<String, Integer>> targets = dispatcher().distribute(total, ids);
        double now = System.currentTimeMillis() / 1000.0;
        double timestamp = now > lastSpawnTimestamp ? now : Math.nextUp(lastSpawnTimestamp);
        lastSpawnTimestamp = timestamp;
        Map<String, Object> options = wireOptions();
        Double stopTimeout = environment.stopTimeout();
        for (Map.Entry<String, Map<String, Integer>> e : targets.entrySet()) {
            Map<String, Long> counts = new LinkedHashMap<>();
            e.getValue().forEach((k, v) -> counts.put(k, (long) v));
            server.send(e.getKey(), new Spawn(timestamp, counts, environment.host(), stopTimeout, options));
        }
    }

    /** Redistributes the dispatched users over the current workers; caller holds the lock. */
    private void rebalance() {
        if (dispatchOpen && (state == RunnerState.SPAWNING || state == RunnerState.RUNNING) && !quitting.get()) {
            sendDistribution(dispatchedUsers);
        }
    }

    private List<Node> activeNodes() {
        List<Node> out = new ArrayList<>();
        for (Node n : sortedNodes(nodes.values())) {
            if (n.active()) {
                out.add(n);
            }
        }
        return out;
    }

    private static List<Node> sortedNodes(Collection<Node> nodes) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparingInt(n -> n.index));
        return sorted;
    }

    /** The master's options in msgpack-able form, for {@code spawn.parsed_options}. */
    private Map<String, Object> wireOptions() {
        Map<String, Object> out = new LinkedHashMap<>();
        environment.parsedOptions().asMap().forEach((k, v) -> out.put(k, CustomMessage.normalize(v)));
        return out;
    }

    @Override
    protected void onShapeFinished() {
        control.execute(this::quit);
    }

    /**
     * Stops the test on every worker ({@code stop}); they announce themselves again and the master
     * stays up for another {@link #start}. Waits (bounded) until the workers report no users.
     */
    @Override
    public void stop() {
        List<String> ids;
        synchronized (this) {
            stopShape();
            if (state != RunnerState.SPAWNING && state != RunnerState.RUNNING) {
                if (state == RunnerState.READY) {
                    state = RunnerState.STOPPED;
                }
                return;
            }
            state = RunnerState.STOPPING;
            generation++;
            if (dispatcher != null) {
                dispatcher.interrupt();
            }
            dispatchOpen = false;
            targetUsers = 0;
            dispatchedUsers = 0;
            ids = nodes.keySet().stream().toList();
        }
        environment.events().testStopping.fire(environment);
        for (String id : ids) {
            server.send(id, new Stop());
        }
        double stopTimeout = environment.stopTimeout();
        long deadline = System.nanoTime() + (long) ((stopTimeout > 0 ? stopTimeout + 5 : 60) * 1e9);
        while (userCount() > 0 && System.nanoTime() < deadline && !quitting.get()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (this) {
            state = RunnerState.STOPPED;
        }
        environment.events().testStop.fire(environment);
    }

    /**
     * Ends the master: sends {@code quit} to every worker, waits for their final reports (until all
     * answered {@code quit}, bounded by the stop timeout plus 3 s), fires {@code test_stop} and closes the socket.
     */
    @Override
    public void quit() {
        if (Thread.currentThread() == socketThread) {
            control.execute(this::quit);
            return;
        }
        if (!quitting.compareAndSet(false, true)) {
            quitted.join();
            return;
        }
        boolean wasActive;
        List<String> ids;
        synchronized (this) {
            stopShape();
            wasActive = state == RunnerState.SPAWNING || state == RunnerState.RUNNING;
            generation++;
            if (dispatcher != null) {
                dispatcher.interrupt();
            }
            dispatchOpen = false;
            if (wasActive) {
                state = RunnerState.STOPPING;
            }
            ids = nodes.keySet().stream().toList();
            for (Node n : nodes.values()) {
                if (!NodeState.MISSING.equals(n.state)) {
                    awaitingQuit.add(n.id);
                }
            }
        }
        try {
            if (wasActive) {
                environment.events().testStopping.fire(environment);
            }
            for (String id : ids) {
                server.send(id, new Quit());
            }
            long deadline = System.nanoTime() + (long) ((Math.max(0, environment.stopTimeout()) + 3) * 1e9);
            long minimum = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < deadline && !awaitingQuit.isEmpty()) {
                Thread.sleep(10);
            }
            if (!awaitingQuit.isEmpty()) {
                log.warn("No final report from {} worker(s) before shutting down", awaitingQuit.size());
            } else if (ids.isEmpty()) {
                long left = minimum - System.nanoTime();
                if (left > 0) {
                    Thread.sleep(left / 1_000_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                state = RunnerState.STOPPED;
                targetUsers = 0;
            }
            try {
                if (wasActive) {
                    environment.events().testStop.fire(environment);
                }
            } finally {
                timers.shutdownNow();
                control.shutdown();
                server.close();
                shutdownScheduler();
                quitted.complete(null);
            }
        }
    }

    // ---- custom messages ---------------------------------------------------------------------

    /** Sends a custom message to every worker the master knows. */
    @Override
    public void sendMessage(String type, Object data) {
        List<String> ids;
        synchronized (this) {
            if (capturingBroadcasts) {
                testBroadcasts.add(new Broadcast(type, data));
            }
            ids = nodes.keySet().stream().toList();
        }
        for (String id : ids) {
            server.send(new Message(type, data, id));
        }
    }

    /** Sends a custom message to the worker with node id {@code clientId} (to all when null). */
    @Override
    public void sendMessage(String type, Object data, String clientId) {
        if (clientId == null) {
            sendMessage(type, data);
        } else {
            server.send(new Message(type, data, clientId));
        }
    }

    // ---- receiving ---------------------------------------------------------------------------

    private final class Listener implements MasterServer.Listener {
        @Override
        public void onMessage(Identity sender, Message message, LocustMessage typed) {
            awaitBound();
            socketThread = Thread.currentThread();
            String id = sender.text();
            try {
                handle(sender, id, message, typed);
            } catch (RuntimeException e) {
                malformed(sender, "'" + message.type() + "' message could not be handled: " + e);
            }
        }

        @Override
        public void onCorruptFrame(Identity sender, CorruptMessageException error) {
            awaitBound();
            socketThread = Thread.currentThread();
            malformed(sender, error.getMessage());
        }
    }

    private void awaitBound() {
        try {
            bound.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Identity sender, String id, Message message, LocustMessage typed) {
        switch (typed) {
            case ClientReady r -> onClientReady(sender, id, r);
            case Heartbeat h -> {
                if (!(message.data() instanceof Map<?, ?> d) || !(d.get("state") instanceof String)
                        || !(d.get("current_cpu_usage") instanceof Number)) {
                    malformed(sender, "heartbeat without state or current_cpu_usage");
                    return;
                }
                onHeartbeat(id, h, d.get("current_memory_usage") != null);
            }
            case Stats s -> {
                if (!(message.data() instanceof Map<?, ?> d) || !(d.get("stats_total") instanceof Map<?, ?>)) {
                    malformed(sender, "stats without stats_total");
                    return;
                }
                onStats(id, message, s);
            }
            case Spawning s -> onSpawning(id);
            case SpawningComplete c -> {
                if (c.userClassesCount() == null) {
                    malformed(sender, "spawning_complete without user_classes_count");
                    return;
                }
                onSpawningComplete(id, c);
            }
            case ClientStopped c -> onClientStopped(id);
            case Quit q -> onWorkerQuit(id);
            case ExceptionReport e -> {
                if (!(message.data() instanceof Map<?, ?> d) || !(d.get("msg") instanceof String) || !(d.get("traceback") instanceof String)) {
                    malformed(sender, "exception without msg or traceback");
                    return;
                }
                logException(e.msg(), e.traceback(), id);
            }
            case Logs l -> log.debug("{} log lines from {}", l.logs().size(), id);
            case LocustfileRequest r -> server.send(sender, new LocustfileReply(List.of(),
                    "This master is jlocust: it does not send locustfiles; start the worker with its own -f").toMessage(id));
            case io.locusttelemetry.protocol.CustomTypeMessage c -> {
                if (!dispatchCustomMessage(new CustomMessage(c.type(), c.data(), id))) {
                    if (unknownTypesLogged.add(c.type())) {
                        log.warn("Unknown message type received from worker {}: {}", id, c.type());
                    }
                }
            }
            default -> {
                if (unknownTypesLogged.add(message.type())) {
                    log.warn("Unexpected message type from worker {}: {}", id, message.type());
                }
            }
        }
    }

    private void malformed(Identity sender, String reason) {
        long n = malformedFrames.incrementAndGet();
        warnLimited("Malformed message from {} ({}); answered with reconnect ({} malformed so far)", sender, reason, n);
        server.send(sender, new Reconnect().toMessage(sender.toString()));
    }

    /** Warns about bad input at most a few times, then once every 5 s, so garbage cannot flood the log. */
    private void warnLimited(String format, Object... args) {
        long n = limitedWarnings.incrementAndGet();
        long now = System.nanoTime();
        if (n <= 5 || now - malformedLoggedAtNanos > 5_000_000_000L) {
            malformedLoggedAtNanos = now;
            log.warn(format, args);
        } else {
            log.debug(format, args);
        }
    }

    /** Malformed or unexpected frames received so far. */
    public long malformedFrameCount() {
        return malformedFrames.get();
    }

    private void onClientReady(Identity sender, String id, ClientReady ready) {
        Object version = ready.version();
        if (ready.isFalsy() && !"".equals(version)) {
            log.error("An old (pre 2.0) worker tried to connect ({}). That's not going to work.", id);
            return;
        }
        if (!(version instanceof String) && !ready.isForeign()) {
            malformed(sender, "client_ready with a version that is neither a string nor -1: " + version);
            return;
        }
        if ("".equals(version)) {
            log.debug("Worker {} sent an empty version (Debian's Locust build); accepted", id);
        } else if (version instanceof String v) {
            log.debug("Worker {} runs Locust {}", id, v);
        }
        int index = indexes.computeIfAbsent(id, k -> indexes.size());
        server.send(id, new Ack(index));
        synchronized (this) {
            boolean known = nodes.containsKey(id);
            nodes.put(id, new Node(id, index, version));
            int connected = (int) nodes.values().stream().filter(Node::active).count();
            if (known) {
                log.debug("{} (index {}) reported as ready (again). {} workers connected.", id, index, connected);
            } else {
                log.info("{} (index {}) reported as ready. {} workers connected.", id, index, connected);
            }
            if (dispatchOpen && (state == RunnerState.SPAWNING || state == RunnerState.RUNNING)) {
                for (Broadcast b : testBroadcasts) {
                    server.send(new Message(b.type(), b.data(), id));
                }
                rebalance();
            }
        }
    }

    private void onHeartbeat(String id, Heartbeat h, boolean hasMemory) {
        boolean healed;
        synchronized (this) {
            Node n = nodes.get(id);
            if (n == null) {
                log.debug("Heartbeat from unknown worker {} ignored", id);
                return;
            }
            healed = NodeState.MISSING.equals(n.state);
            n.liveness = HEARTBEAT_LIVENESS;
            n.state = h.state();
            n.cpu = h.currentCpuUsage();
            if (hasMemory) {
                n.memory = h.currentMemoryUsage();
            }
            if (n.cpu > CPU_WARNING_THRESHOLD && !n.cpuWarned) {
                n.cpuWarned = true;
                log.warn("Worker {} exceeded cpu threshold (will only log this once per worker)", id);
            }
            n.replyOwed = n.answerHeartbeats;
            if (healed) {
                log.info("Worker {} self-healed with heartbeat, setting state to {}.", id, n.state);
                rebalance();
            }
        }
        environment.events().heartbeatReceived.fire(new Events.Heartbeat(id, System.currentTimeMillis()));
    }

    private void onStats(String id, Message message, Stats stats) {
        WireStats.merge(environment.stats(), stats);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) message.data();
        environment.events().workerReport.fire(new Events.Report(id, data));
        synchronized (this) {
            Node n = nodes.get(id);
            if (n == null) {
                log.debug("Discarded the user counts of a report from unknown worker {}", id);
            } else if (!NodeState.MISSING.equals(n.state)) {
                n.counts = stats.userClassesCount();
            }
        }
    }

    private void onSpawning(String id) {
        synchronized (this) {
            Node n = nodes.get(id);
            if (n != null) {
                n.state = NodeState.SPAWNING;
                return;
            }
        }
        warnLimited("Got spawning message from unknown worker {}. Asking worker to quit.", id);
        server.send(id, new Quit());
    }

    private synchronized void onSpawningComplete(String id, SpawningComplete complete) {
        Node n = nodes.get(id);
        if (n == null) {
            log.debug("spawning_complete from unknown worker {} ignored", id);
            return;
        }
        n.state = NodeState.RUNNING;
        n.counts = complete.userClassesCount();
    }

    private synchronized void onClientStopped(String id) {
        if (nodes.remove(id) != null) {
            log.debug("Removing {} client from running clients", id);
            rebalance();
        }
    }

    private void onWorkerQuit(String id) {
        boolean lastLeft = false;
        synchronized (this) {
            Node n = nodes.remove(id);
            if (n == null) {
                awaitingQuit.remove(id);
                return;
            }
            log.info("Worker {} (index {}) quit. {} workers connected.", id, n.index, nodes.values().stream().filter(Node::active).count());
            if (awaitingQuit.remove(id) || quitting.get()) {
                return;
            }
            if (state == RunnerState.SPAWNING || state == RunnerState.RUNNING) {
                if (nodes.values().stream().noneMatch(Node::active)) {
                    lastLeft = true;
                } else {
                    rebalance();
                }
            }
        }
        if (lastLeft) {
            log.info("The last worker quit, stopping test.");
            lastWorkerGone();
        }
    }

    private void lastWorkerGone() {
        control.execute(() -> {
            stop();
            if (quitWhenLastWorkerLeaves) {
                quit();
            }
        });
    }

    /**
     * Once a second: answers the heartbeats that came in since the last round, all at once, and
     * marks workers missing. Answering in one round rather than each on arrival wakes the ZeroMQ
     * I/O thread once a second instead of once per worker (with 50 workers, 50 times a second);
     * a worker only needs to hear from its master within its heartbeat timeout (60 s).
     */
    private void checkHeartbeats() {
        boolean lastGone = false;
        synchronized (this) {
            boolean changed = false;
            for (Node n : new ArrayList<>(nodes.values())) {
                if (n.replyOwed) {
                    n.replyOwed = false;
                    server.send(n.id, new HeartbeatReply());
                }
                if (NodeState.MISSING.equals(n.state) && n.liveness <= HEARTBEAT_DEAD) {
                    nodes.remove(n.id);
                    log.info("Worker {} (index {}) has been missing for a minute: forgotten", n.id, n.index);
                    changed = true;
                    continue;
                }
                if (n.liveness < 0 && !NodeState.MISSING.equals(n.state)) {
                    log.info("Worker {} (index {}) failed to send heartbeat, setting state to missing.", n.id, n.index);
                    n.state = NodeState.MISSING;
                    n.counts = Map.of();
                    changed = true;
                } else {
                    n.liveness--;
                }
            }
            if (changed && (state == RunnerState.SPAWNING || state == RunnerState.RUNNING)) {
                if (nodes.values().stream().noneMatch(Node::active)) {
                    lastGone = true;
                } else {
                    rebalance();
                }
            }
        }
        if (lastGone && !quitting.get()) {
            log.info("The last worker went missing, stopping test.");
            lastWorkerGone();
        }
    }

    // ---- versions ----------------------------------------------------------------------------

    /** Locust 2.19 and later (and non-Python workers, which send -1) expect heartbeat replies. */
    static boolean understandsHeartbeatReplies(Object version) {
        return isAtLeast(version, 2, 19);
    }

    /** Locust 2.29 and later fire their spawning_complete event on the master's broadcast. */
    static boolean understandsSpawningCompleteBroadcast(Object version) {
        return isAtLeast(version, 2, 29) && !(version instanceof Number);
    }

    private static boolean isAtLeast(Object version, int major, int minor) {
        if (version instanceof Number n) {
            return n.doubleValue() == -1.0;
        }
        if (!(version instanceof String s)) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(s);
        if (!m.find()) {
            return false;
        }
        try {
            int ma = Integer.parseInt(m.group(1));
            int mi = Integer.parseInt(m.group(2));
            return ma > major || ma == major && mi >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
