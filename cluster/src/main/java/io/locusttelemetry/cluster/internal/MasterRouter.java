package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.cluster.MasterRunner;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.process.LimitedLog;
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
import io.locusttelemetry.protocol.ReportCheck;
import io.locusttelemetry.protocol.Spawning;
import io.locusttelemetry.protocol.SpawningComplete;
import io.locusttelemetry.protocol.Stats;
import io.locusttelemetry.protocol.StatsError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a master does with each message from its workers, and with the heartbeat clock: the typed
 * handlers, bad input, and the once-a-second round of heartbeat replies and liveness checks.
 *
 * <p>It trusts no peer. A malformed frame, or a built-in message whose data has the wrong shape,
 * is counted ({@link #malformedFrameCount()}) and answered with {@code reconnect} to its real
 * sender. A well-formed message from a node the master has not admitted (it never sent
 * {@code client_ready}, quit, or was forgotten) is not used, only counted
 * ({@link #droppedMessageCount()}), and its sender is asked to {@code reconnect} (a jlocust worker
 * then announces itself again) and, if it still does not announce itself, to {@code quit}; see
 * {@link PeerReplies}. A message with impossible values ({@link ReportCheck}) is dropped whole and
 * counted too. Answers go out at most once a second per peer, and every line a peer can cause is
 * rate-limited ({@link LimitedLog}).
 *
 * <p>It holds no lock of its own: its state is the registry's, the dispatch's, or atomic. It runs
 * on the socket thread (messages) and on the master's timer thread (heartbeats), and fires the
 * {@code heartbeat_received} and {@code worker_report} listeners with no lock held.
 */
public final class MasterRouter implements MasterServer.Listener {
    private static final Logger log = LoggerFactory.getLogger(MasterRunner.class);

    /** What the router asks of its master. */
    public interface Master {
        /** Hands a custom message to its registered handlers; false when there is none. */
        boolean deliver(CustomMessage message);

        void logException(String message, String traceback, String node);

        boolean quitting();

        /** The last worker quit or went missing during a test: the test stops (off the calling thread). */
        void lastWorkerGone();

        /** The socket cannot go on: the run ends with an error (off the calling thread). */
        void socketFailed(Throwable error);
    }

    private final Environment environment;
    private final WorkerRegistry registry;
    private final UserClassCheck classes;
    private final Master master;
    private final CountDownLatch opened = new CountDownLatch(1);
    private final LimitedLog limited = new LimitedLog(log);
    private final PeerReplies replies = new PeerReplies();
    private final AtomicLong malformedFrames = new AtomicLong();
    private final AtomicLong droppedMessages = new AtomicLong();
    private final AtomicLong behindRounds = new AtomicLong();
    /** When the last heartbeat round ran (the timer thread's only). */
    private long lastSweepNanos = System.nanoTime();
    private volatile Thread socketThread;
    private MasterServer server;
    private WorkerDispatch dispatch;

    public MasterRouter(Environment environment, WorkerRegistry registry, UserClassCheck classes, Master master) {
        this.environment = environment;
        this.registry = registry;
        this.classes = classes;
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

    /** Well-formed messages not used so far: from nodes that are not admitted workers, or with impossible values. */
    public long droppedMessageCount() {
        return droppedMessages.get();
    }

    /** Logs what the rate limit held back since its last line of each kind (when the socket has closed). */
    public void flushLog() {
        limited.flush();
    }

    @Override
    public void onMessage(Identity sender, Message message, LocustMessage typed) {
        awaitOpen();
        String id = sender.text();
        try {
            handle(sender, id, message, typed);
        } catch (RuntimeException | StackOverflowError e) {
            malformed(sender, "'" + message.type() + "' message could not be handled: " + e);
        }
    }

    @Override
    public void onCorruptFrame(Identity sender, CorruptMessageException error) {
        awaitOpen();
        malformed(sender, error.getMessage());
    }

    @Override
    public void onSocketFailure(Throwable error) {
        master.socketFailed(error);
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
            case Quit q -> onWorkerQuit(id);
            case LocustfileRequest r -> {
                if (replies.answerDue(id)) {
                    server.send(sender, new LocustfileReply(List.of(),
                            "This master is jlocust: it does not send locustfiles; start the worker with its own -f").toMessage(id));
                }
            }
            default -> {
                WorkerRegistry.Standing standing = registry.standing(id);
                if (standing == WorkerRegistry.Standing.UNKNOWN) {
                    fromUnknown(sender, id, message.type());
                } else {
                    handleAdmitted(sender, id, message, typed, standing == WorkerRegistry.Standing.STOPPED);
                }
            }
        }
    }

    /** A message from a worker this master admitted ({@code stopped}: it sent client_stopped and has not announced itself again). */
    private void handleAdmitted(Identity sender, String id, Message message, LocustMessage typed, boolean stopped) {
        switch (typed) {
            case Heartbeat h -> {
                if (!(message.data() instanceof Map<?, ?> d) || !(d.get("state") instanceof String)
                        || !(d.get("current_cpu_usage") instanceof Number)) {
                    malformed(sender, "heartbeat without state or current_cpu_usage");
                } else if (!stopped && accepted(id, message, ReportCheck.heartbeat(d))) {
                    onHeartbeat(id, h, d.get("current_memory_usage") != null);
                }
            }
            case Stats s -> {
                if (!(message.data() instanceof Map<?, ?> d) || !(d.get("stats_total") instanceof Map<?, ?>)) {
                    malformed(sender, "stats without stats_total");
                } else if (accepted(id, message, ReportCheck.stats(d, System.currentTimeMillis() / 1000.0))) {
                    onStats(id, message, s);
                }
            }
            case Spawning s -> {
                if (!stopped) {
                    registry.spawning(id);
                }
            }
            case SpawningComplete c -> {
                if (c.userClassesCount() == null) {
                    malformed(sender, "spawning_complete without user_classes_count");
                } else if (!stopped && accepted(id, message, ReportCheck.spawningComplete(message.data()))) {
                    registry.spawningComplete(id, c.userClassesCount());
                }
            }
            case ClientStopped c -> {
                if (registry.remove(id)) {
                    log.debug("Removing {} client from running clients", id);
                    dispatch.rebalance();
                }
            }
            case ExceptionReport e -> {
                if (!(message.data() instanceof Map<?, ?> d) || !(d.get("msg") instanceof String) || !(d.get("traceback") instanceof String)) {
                    malformed(sender, "exception without msg or traceback");
                    return;
                }
                master.logException(e.msg(), e.traceback(), id);
            }
            case Logs l -> log.debug("{} log lines from {}", l.logs().size(), id);
            case CustomTypeMessage c -> {
                if (!master.deliver(new CustomMessage(c.type(), c.data(), id))) {
                    limited.warn("unknown-type:" + c.type(), "Unknown message type received from worker {}: {}", id,
                            ReportCheck.shorten(c.type()));
                }
            }
            default -> limited.warn("unexpected-type:" + message.type(), "Unexpected message type from worker {}: {}", id,
                    ReportCheck.shorten(message.type()));
        }
    }

    private void malformed(Identity sender, String reason) {
        long n = malformedFrames.incrementAndGet();
        boolean answer = replies.answerDue(sender.toString());
        if (answer) {
            server.send(sender, new Reconnect().toMessage(sender.toString()));
        }
        limited.warn("malformed", "Malformed message from {} ({}); {} ({} malformed so far)", sender, reason,
                answer ? "answered with reconnect" : "not answered, it was less than a second ago", n);
    }

    /** True when {@code problem} is null; otherwise the message is dropped and counted. */
    private boolean accepted(String id, Message message, String problem) {
        if (problem == null) {
            return true;
        }
        long n = droppedMessages.incrementAndGet();
        limited.warn("impossible:" + message.type(), "Dropped a '{}' message from worker {}: {} ({} messages dropped so far)",
                message.type(), id, problem, n);
        return false;
    }

    /** A message from a node this master has not admitted: not used; the node is asked to announce itself, or to go. */
    private void fromUnknown(Identity sender, String id, String type) {
        long n = droppedMessages.incrementAndGet();
        PeerReplies.Reply reply = replies.unknown(id);
        switch (reply) {
            case RECONNECT -> server.send(sender, new Reconnect().toMessage(id));
            case QUIT -> server.send(sender, new Quit().toMessage(id));
            case NONE -> { }
        }
        if (reply == PeerReplies.Reply.QUIT) {
            limited.warn("unknown-quit", "{} is not a worker of this master and did not announce itself when asked to: "
                    + "asked it to quit ({} messages dropped so far)", id, n);
        } else {
            limited.warn("unknown", "Ignored a '{}' message from {}, which is not a worker of this master{} ({} messages dropped so far)",
                    ReportCheck.shorten(type), id, reply == PeerReplies.Reply.RECONNECT ? "; asked it to reconnect and announce itself" : "", n);
        }
    }

    private void onClientReady(Identity sender, String id, ClientReady ready) {
        Object version = ready.version();
        if (ready.isFalsy() && !"".equals(version)) {
            limited.error("old-worker", "An old (pre 2.0) worker tried to connect ({}). That's not going to work.", id);
            return;
        }
        if (!(version instanceof String) && !ready.isForeign()) {
            malformed(sender, "client_ready with a version that is neither a string nor -1: " + ReportCheck.shorten(version));
            return;
        }
        if ("".equals(version)) {
            log.debug("Worker {} sent an empty version (Debian's Locust build); accepted", id);
        } else if (version instanceof String v) {
            log.debug("Worker {} runs Locust {}", id, v);
        }
        replies.admitted(id);
        classes.reset(id);
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
        Map<String, StatsError> errors = new LinkedHashMap<>();
        stats.errors().forEach((key, e) -> {
            String missing = UserClassCheck.classReportedMissing(e, id);
            if (missing == null) {
                errors.put(key, e);
            } else if (classes.note(id, missing)) {
                // counted once per worker and class, whichever side told first
                errors.put(key, e);
                missingClass(id, missing, stats.userClassesCount().keySet());
            }
        });
        WireStats.merge(environment.stats(), new Stats(stats.entries(), stats.total(), errors, stats.userClassesCount(),
                stats.userCount(), stats.extra()));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) message.data();
        environment.events().workerReport.fire(new Events.Report(id, data));
        if (!registry.reported(id, stats.userClassesCount())) {
            log.debug("Discarded the user counts of a report from a stopped worker {}", id);
        }
        for (String cls : classes.missing(id, stats.userClassesCount().keySet())) {
            missingClass(id, cls, stats.userClassesCount().keySet());
            environment.stats().merge(List.of(), null, List.of(UserClassCheck.row(id, cls)));
        }
    }

    private void missingClass(String id, String cls, java.util.Set<String> has) {
        limited.error("missing-class", "Worker {} has no user class '{}' (its classes: {}): its share of the {} users does not run",
                id, cls, has, cls);
    }

    private void onWorkerQuit(String id) {
        WorkerRegistry.Departure departure = registry.quit(id);
        classes.reset(id);
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
     * marks workers missing. Answering in rounds (this one and {@link #answerHeartbeats()} half a
     * second later) rather than each on arrival wakes the ZeroMQ I/O thread twice a second
     * instead of once per worker (with 1,000 workers, 1,000 times a second).
     *
     * <p>A second counts towards a worker's silence only when the socket thread caught up with
     * its messages since the last round: a master behind on them (short of CPU, or handling a
     * burst from thousands of workers) has their heartbeats waiting unread, and marking them
     * missing would move their users around for nothing.
     */
    public void sweepHeartbeats() {
        long now = System.nanoTime();
        boolean caughtUp = server.caughtUpNanos() - lastSweepNanos >= 0;
        lastSweepNanos = now;
        if (!caughtUp) {
            long n = behindRounds.incrementAndGet();
            limited.warn("behind", "The master was busy with its workers' messages for the whole last second (short of CPU?): "
                    + "their silence is not counted until it catches up ({} such seconds so far)", n);
        }
        WorkerRegistry.Sweep sweep = registry.sweep(caughtUp);
        for (String id : sweep.replyTo()) {
            server.send(id, new HeartbeatReply());
        }
        if (sweep.changed() && dispatch.workersLeft() && !master.quitting()) {
            log.info("The last worker went missing, stopping test.");
            master.lastWorkerGone();
        }
    }

    /**
     * Half-way between two {@link #sweepHeartbeats() rounds}: answers the heartbeats that came in
     * since the last one, so that none waits for its reply more than half a second (plus the
     * time the master takes to read it) rather than up to a whole second.
     */
    public void answerHeartbeats() {
        for (String id : registry.takeReplies()) {
            server.send(id, new HeartbeatReply());
        }
    }
}
