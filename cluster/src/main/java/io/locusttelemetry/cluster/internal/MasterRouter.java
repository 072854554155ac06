package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.cluster.MasterRunner;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.protocol.Ack;
import io.locusttelemetry.protocol.ClientReady;
import io.locusttelemetry.protocol.ClientStopped;
import io.locusttelemetry.protocol.CorruptMessageException;
import io.locusttelemetry.protocol.CustomTypeMessage;
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
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.protocol.Reconnect;
import io.locusttelemetry.protocol.Spawning;
import io.locusttelemetry.protocol.SpawningComplete;
import io.locusttelemetry.protocol.Stats;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a master does with each message from its workers, and with the heartbeat clock: the typed
 * handlers, bad input, and the once-a-second round of heartbeat replies and liveness checks.
 *
 * <p>Unlike a Python master it never stops on bad input: a malformed frame, or a built-in message
 * whose data has the wrong shape, is logged (a few times, then once every 5 s) and answered with
 * {@code reconnect} to its real sender.
 *
 * <p>It holds no lock of its own: its state is the registry's, the dispatch's, or atomic. It runs
 * on the socket thread (messages) and on the master's timer thread (heartbeats), and fires the
 * {@code heartbeat_received} and {@code worker_report} listeners with no lock held.
 */
public final class MasterRouter implements MasterServer.Listener {
    private static final Logger log = LoggerFactory.getLogger(MasterRunner.class);

    /** What the router asks of its master. */
    public interface Master {
        /** Hands a custom message to its registered handler; false when there is none. */
        boolean deliver(CustomMessage message);

        void logException(String message, String traceback, String node);

        boolean quitting();

        /** The last worker quit or went missing during a test: the test stops (off the calling thread). */
        void lastWorkerGone();
    }

    private final Environment environment;
    private final WorkerRegistry registry;
    private final Master master;
    private final CountDownLatch opened = new CountDownLatch(1);
    private final Set<String> unknownTypesLogged = ConcurrentHashMap.newKeySet();
    private final AtomicLong malformedFrames = new AtomicLong();
    private final AtomicLong limitedWarnings = new AtomicLong();
    private volatile long malformedLoggedAtNanos;
    private volatile Thread socketThread;
    private MasterServer server;
    private WorkerDispatch dispatch;

    public MasterRouter(Environment environment, WorkerRegistry registry, Master master) {
        this.environment = environment;
        this.registry = registry;
        this.master = master;
    }

    /** Starts handling messages, which wait until then (the socket is bound before the dispatch exists). */
    public void open(MasterServer server, WorkerDispatch dispatch) {
        this.server = server;
        this.dispatch = dispatch;
        opened.countDown();
    }

    /** Whether the caller is the socket thread, which must not wait for the workers. */
    public boolean onSocketThread() {
        return Thread.currentThread() == socketThread;
    }

    /** Malformed or unexpected frames received so far. */
    public long malformedFrameCount() {
        return malformedFrames.get();
    }

    @Override
    public void onMessage(Identity sender, Message message, LocustMessage typed) {
        awaitOpen();
        String id = sender.text();
        try {
            handle(sender, id, message, typed);
        } catch (RuntimeException e) {
            malformed(sender, "'" + message.type() + "' message could not be handled: " + e);
        }
    }

    @Override
    public void onCorruptFrame(Identity sender, CorruptMessageException error) {
        awaitOpen();
        malformed(sender, error.getMessage());
    }

    private void awaitOpen() {
        socketThread = Thread.currentThread();
        try {
            opened.await();
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
                if (!registry.spawningComplete(id, c.userClassesCount())) {
                    log.debug("spawning_complete from unknown worker {} ignored", id);
                }
            }
            case ClientStopped c -> {
                if (registry.remove(id)) {
                    log.debug("Removing {} client from running clients", id);
                    dispatch.rebalance();
                }
            }
            case Quit q -> onWorkerQuit(id);
            case ExceptionReport e -> {
                if (!(message.data() instanceof Map<?, ?> d) || !(d.get("msg") instanceof String) || !(d.get("traceback") instanceof String)) {
                    malformed(sender, "exception without msg or traceback");
                    return;
                }
                master.logException(e.msg(), e.traceback(), id);
            }
            case Logs l -> log.debug("{} log lines from {}", l.logs().size(), id);
            case LocustfileRequest r -> server.send(sender, new LocustfileReply(List.of(),
                    "This master is jlocust: it does not send locustfiles; start the worker with its own -f").toMessage(id));
            case CustomTypeMessage c -> {
                if (!master.deliver(new CustomMessage(c.type(), c.data(), id)) && unknownTypesLogged.add(c.type())) {
                    log.warn("Unknown message type received from worker {}: {}", id, c.type());
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
        int index = registry.indexFor(id);
        server.send(id, new Ack(index));
        dispatch.admit(id, index, version);
    }

    private void onHeartbeat(String id, Heartbeat h, boolean hasMemory) {
        WorkerRegistry.Beat beat = registry.heartbeat(id, h.state(), h.currentCpuUsage(), hasMemory, h.currentMemoryUsage());
        if (beat == WorkerRegistry.Beat.UNKNOWN_WORKER) {
            log.debug("Heartbeat from unknown worker {} ignored", id);
            return;
        }
        if (beat == WorkerRegistry.Beat.HEALED) {
            dispatch.rebalance();
        }
        environment.events().heartbeatReceived.fire(new Events.Heartbeat(id, System.currentTimeMillis()));
    }

    private void onStats(String id, Message message, Stats stats) {
        WireStats.merge(environment.stats(), stats);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) message.data();
        environment.events().workerReport.fire(new Events.Report(id, data));
        if (!registry.reported(id, stats.userClassesCount())) {
            log.debug("Discarded the user counts of a report from unknown worker {}", id);
        }
    }

    private void onSpawning(String id) {
        if (!registry.spawning(id)) {
            warnLimited("Got spawning message from unknown worker {}. Asking worker to quit.", id);
            server.send(id, new Quit());
        }
    }

    private void onWorkerQuit(String id) {
        WorkerRegistry.Departure departure = registry.quit(id);
        if (departure == null || departure.awaited() || master.quitting()) {
            return;
        }
        if (dispatch.workersLeft()) {
            log.info("The last worker quit, stopping test.");
            master.lastWorkerGone();
        }
    }

    /**
     * Once a second: answers the heartbeats that came in since the last round, all at once, and
     * marks workers missing. Answering in one round rather than each on arrival wakes the ZeroMQ
     * I/O thread once a second instead of once per worker (with 50 workers, 50 times a second);
     * a worker only needs to hear from its master within its heartbeat timeout (60 s).
     */
    public void sweepHeartbeats() {
        WorkerRegistry.Sweep sweep = registry.sweep();
        for (String id : sweep.replyTo()) {
            server.send(id, new HeartbeatReply());
        }
        if (sweep.changed() && dispatch.workersLeft() && !master.quitting()) {
            log.info("The last worker went missing, stopping test.");
            master.lastWorkerGone();
        }
    }
}
