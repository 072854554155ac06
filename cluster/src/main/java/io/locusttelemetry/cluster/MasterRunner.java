package io.locusttelemetry.cluster;

import io.locusttelemetry.cluster.internal.MasterRouter;
import io.locusttelemetry.cluster.internal.UserClassCheck;
import io.locusttelemetry.cluster.internal.WorkerDispatch;
import io.locusttelemetry.cluster.internal.WorkerRegistry;
import io.locusttelemetry.engine.AbstractRunner;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.protocol.MasterServer;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.protocol.Stop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *   <li>Heartbeats are answered (Locust 2.19's nil {@code heartbeat}), once a second, for workers that understand it.</li>
 *   <li>It trusts no peer: a malformed frame is counted and answered with {@code reconnect}; a
 *       message from a node it has not admitted, or with impossible values, is dropped and counted
 *       (never merged); every line a peer can cause is rate-limited.</li>
 * </ul>
 *
 * <p>Inside, the workers are a {@code WorkerRegistry} (its own leaf lock), the users go out through
 * a {@code WorkerDispatch} and messages come in through a {@code MasterRouter}. The test lock
 * guards this runner's state changes and the dispatch; no listener runs while it is held.
 */
public final class MasterRunner extends AbstractRunner {
    private static final Logger log = LoggerFactory.getLogger(MasterRunner.class);

    /** Guards {@link #state} changes and everything in {@link #dispatch}; taken before the registry's lock, never after. */
    private final Object testLock = new Object();
    private final WorkerRegistry registry = new WorkerRegistry();
    private final MasterRouter router;
    private final MasterServer server;
    private final WorkerDispatch dispatch;
    private final ExecutorService control = Executors.newSingleThreadExecutor(NamedThreads.daemon("master-control"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("master-timers"));
    private final CompletableFuture<Void> quitted = new CompletableFuture<>();
    private final AtomicBoolean quitting = new AtomicBoolean();
    private volatile boolean quitWhenLastWorkerLeaves;
    private volatile int targetUsers;

    private MasterRunner(Environment environment, String bindHost, int bindPort) {
        super(environment);
        Hooks hooks = new Hooks();
        UserClassCheck classes = new UserClassCheck();
        this.router = new MasterRouter(environment, registry, classes, hooks);
        this.server = MasterServer.bind(bindHost, bindPort, router, NamedThreads.daemon("locust-master-io"));
        this.dispatch = new WorkerDispatch(testLock, hooks, environment, registry, this::dispatcher, server, classes, timers);
        router.open(server, dispatch);
        timers.scheduleAtFixedRate(router::sweepHeartbeats, 1, 1, TimeUnit.SECONDS);
        timers.scheduleAtFixedRate(router::answerHeartbeats, 1500, 1000, TimeUnit.MILLISECONDS);
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
    public List<WorkerInfo> workers() {
        return registry.workers();
    }

    /** Workers that are ready, spawning or running. */
    public int workerCount() {
        return registry.activeCount();
    }

    /** Workers in state {@code ready}, which {@code --expect-workers} counts. */
    public int readyWorkerCount() {
        return registry.readyCount();
    }

    /**
     * Waits until at least {@code count} workers are ready, logging progress every second as Locust does.
     *
     * @param maxWait zero or negative to wait forever
     * @return false when the time ran out or the master quit
     */
    public boolean awaitWorkers(int count, Duration maxWait) {
        return registry.awaitReady(count, maxWait, quitting::get);
    }

    /** Users the workers last reported, missing workers not counted. */
    @Override
    public int userCount() {
        return registry.userCount();
    }

    @Override
    public Map<String, Integer> userClassesCount() {
        return registry.userClassesCount(dispatcher().classNames());
    }

    @Override
    public int targetUserCount() {
        return targetUsers;
    }

    /** Malformed frames received so far (answered with {@code reconnect}, at most once a second per sender). */
    public long malformedFrameCount() {
        return router.malformedFrameCount();
    }

    /**
     * Well-formed messages not used so far: from nodes that are not its workers (never announced,
     * quit or forgotten) and with impossible values ({@link io.locusttelemetry.protocol.ReportCheck}).
     */
    public long droppedMessageCount() {
        return router.droppedMessageCount();
    }

    // ---- test control ------------------------------------------------------------------------

    private static boolean active(RunnerState state) {
        return state == RunnerState.SPAWNING || state == RunnerState.RUNNING;
    }

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
        synchronized (testLock) {
            if (quitting.get()) {
                throw new IllegalStateException("the master is quitting");
            }
            if (registry.activeCount() == 0) {
                log.warn("You can't start a distributed test before at least one worker processes has connected");
                return;
            }
            fresh = !active(state);
            if (fresh) {
                environment.stats().reset();
                environment.statsHistory().clear();
                clearExceptions();
                dispatch.newTest();
            }
            targetUsers = userCount;
            state = RunnerState.SPAWNING;
        }
        if (fresh) {
            dispatch.captureBroadcasts(true);
            try {
                environment.events().testStart.fire(environment);
            } finally {
                dispatch.captureBroadcasts(false);
            }
        }
        dispatch.rampTo(userCount, spawnRate);
    }

    @Override
    protected void onShapeFinished() {
        control.execute(quitsWhenShapeEnds() ? this::quit : this::stop);
    }

    /**
     * Stops the test on every worker ({@code stop}); they announce themselves again and the master
     * stays up for another {@link #start}. Waits (bounded) until the workers report no users.
     */
    @Override
    public void stop() {
        List<String> ids;
        synchronized (testLock) {
            stopShape();
            if (!active(state)) {
                if (state == RunnerState.READY) {
                    state = RunnerState.STOPPED;
                }
                return;
            }
            state = RunnerState.STOPPING;
            dispatch.cancel();
            targetUsers = 0;
            ids = registry.ids();
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
        synchronized (testLock) {
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
        if (router.onSocketThread()) {
            control.execute(this::quit);
            return;
        }
        if (!quitting.compareAndSet(false, true)) {
            quitted.join();
            return;
        }
        boolean wasActive;
        List<String> ids;
        synchronized (testLock) {
            stopShape();
            wasActive = active(state);
            dispatch.cancel();
            if (wasActive) {
                state = RunnerState.STOPPING;
            }
            ids = registry.ids();
            registry.awaitQuitFromAll();
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
            while (System.nanoTime() < deadline && registry.awaitingQuitCount() > 0) {
                Thread.sleep(10);
            }
            if (registry.awaitingQuitCount() > 0) {
                log.warn("No final report from {} worker(s) before shutting down", registry.awaitingQuitCount());
            } else if (ids.isEmpty()) {
                long left = minimum - System.nanoTime();
                if (left > 0) {
                    Thread.sleep(left / 1_000_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (testLock) {
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
                router.flushLog();
                shutdownScheduler();
                quitted.complete(null);
            }
        }
    }

    // ---- custom messages ---------------------------------------------------------------------

    /** Sends a custom message to every worker the master knows. */
    @Override
    public void sendMessage(String type, Object data) {
        for (String id : dispatch.broadcast(type, data)) {
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

    /** What the router and the dispatch see of this runner. */
    private final class Hooks implements MasterRouter.Master, WorkerDispatch.Test {
        @Override
        public RunnerState state() {
            return state;
        }

        @Override
        public void running() {
            state = RunnerState.RUNNING;
        }

        @Override
        public boolean quitting() {
            return quitting.get();
        }

        @Override
        public boolean deliver(CustomMessage message) {
            return dispatchCustomMessage(message);
        }

        @Override
        public void logException(String message, String traceback, String node) {
            MasterRunner.this.logException(message, traceback, node);
        }

        @Override
        public void socketFailed(Throwable error) {
            log.error("The master's socket failed, no worker can reach it any more: {}; ending the run", error.toString());
            environment.markUnhandledError();
            control.execute(MasterRunner.this::quit);
        }

        @Override
        public void lastWorkerGone() {
            control.execute(() -> {
                stop();
                if (quitWhenLastWorkerLeaves) {
                    quit();
                }
            });
        }
    }
}
