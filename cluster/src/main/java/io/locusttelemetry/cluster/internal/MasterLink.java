package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.cluster.WorkerRunner;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.process.LimitedLog;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.protocol.Ack;
import io.locusttelemetry.protocol.ClientReady;
import io.locusttelemetry.protocol.CorruptMessageException;
import io.locusttelemetry.protocol.CustomTypeMessage;
import io.locusttelemetry.protocol.HeartbeatReply;
import io.locusttelemetry.protocol.LocustMessage;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.protocol.Reconnect;
import io.locusttelemetry.protocol.ReportCheck;
import io.locusttelemetry.protocol.Spawn;
import io.locusttelemetry.protocol.Spawning;
import io.locusttelemetry.protocol.SpawningComplete;
import io.locusttelemetry.protocol.Stop;
import io.locusttelemetry.protocol.WorkerConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's link to its master: {@code client_ready} (re-sent every retry interval until the
 * {@code ack}, giving up after the configured retries), the index the {@code ack} gives, a new
 * socket on the master's {@code reconnect}, and what the master's messages mean to the worker.
 *
 * <p>A master that does not know this worker (it was restarted, or forgot the worker) says so
 * with {@code reconnect}: the link then gets a new socket and has its worker announce itself
 * again ({@link Worker#reannounce}), waiting for a new {@code ack} as at the start. Lines a master
 * can cause (corrupt frames, unknown types, reconnects) are rate-limited.
 *
 * <p>Messages are read on the socket thread; all but heartbeat replies are handed to the worker's
 * control executor, in arrival order, so a custom message a master sends from its
 * {@code test_start} listeners is handled before the first {@code spawn}. The link holds no lock:
 * its state is volatile, written on the control thread (ack) or the timer thread (retries).
 */
public final class MasterLink implements WorkerConnection.Listener {
    private static final Logger log = LoggerFactory.getLogger(WorkerRunner.class);

    /** What the link hands to its worker; each runs on the control executor unless said otherwise. */
    public interface Worker {
        /** The master acknowledged this worker ({@code first} the first time). */
        void acknowledged(boolean first);

        void spawn(Spawn spawn);

        void stop();

        /** The master sent {@code quit}. */
        void quit();

        /** Hands a custom message to its registered handler; false when there is none. */
        boolean deliver(CustomMessage message);

        /** A heartbeat reply; on the socket thread. */
        void heartbeatReply(String nodeId);

        /** No {@code ack} came after all retries; on the timer thread. */
        void connectFailed();

        /** The worker is ending: only {@code quit} still counts. */
        boolean ending();

        /** The master may not know this worker ({@code why}): it starts afresh and announces itself again; from any thread. */
        void reannounce(String why);

        /** The socket cannot go on (on the dying socket thread). */
        void socketFailed(Throwable error);
    }

    private final WorkerRunner.Options options;
    private final String nodeId;
    private final Worker worker;
    private final Executor control;
    private final WorkerConnection connection;
    private final Set<String> unknownTypesLogged = ConcurrentHashMap.newKeySet();
    private final LimitedLog limited = new LimitedLog(log);
    private volatile int index = -1;
    private volatile boolean acked;
    private volatile boolean everAcked;
    private volatile int readyRetries;

    /**
     * Opens the socket (ZeroMQ connects in the background and keeps trying while the master is not
     * up); {@link #announce} sends the first {@code client_ready}.
     */
    public MasterLink(WorkerRunner.Options options, String nodeId, Worker worker, Executor control) {
        this.options = options;
        this.nodeId = nodeId;
        this.worker = worker;
        this.control = control;
        this.connection = WorkerConnection.connect(options.masterHost(), options.masterPort(), nodeId, this,
                NamedThreads.daemon("locust-worker-io"));
        log.info("Connecting to the master at {}:{} as {}", options.masterHost(), options.masterPort(), nodeId);
    }

    /** Sends {@code client_ready} and keeps re-sending it on {@code timers} until the {@code ack}. */
    public void announce(ScheduledExecutorService timers) {
        send(ClientReady.foreign());
        long retryMillis = options.connectRetryInterval().toMillis();
        timers.scheduleWithFixedDelay(this::retryClientReady, retryMillis, retryMillis, TimeUnit.MILLISECONDS);
    }

    public String nodeId() {
        return nodeId;
    }

    /** The index the master gave in its {@code ack}, or -1 before it. */
    public int index() {
        return index;
    }

    /** Whether the master acknowledged this worker's latest announcement (heartbeats and reports go out only then). */
    public boolean acked() {
        return acked;
    }

    /** Announces the worker again and waits for a new {@code ack}, re-sending {@code client_ready} as at the start. */
    public void announceAgain() {
        acked = false;
        readyRetries = 0;
        send(ClientReady.foreign());
    }

    public void send(LocustMessage message) {
        connection.send(message);
    }

    public void send(Message message) {
        connection.send(message);
    }

    /** Sends what is queued and closes the socket. */
    public void close() {
        connection.close();
        limited.flush();
    }

    /** The unknown message types logged so far (for diagnostics). */
    public List<String> unknownTypes() {
        return new ArrayList<>(unknownTypesLogged);
    }

    private void retryClientReady() {
        if (acked || worker.ending()) {
            return;
        }
        if (readyRetries >= options.connectRetries()) {
            long seconds = options.connectRetryInterval().toSeconds() * options.connectRetries();
            log.error("No answer from the master at {}:{} after {} attempts in {} s: giving up", options.masterHost(),
                    options.masterPort(), options.connectRetries() + 1, seconds);
            worker.connectFailed();
            return;
        }
        readyRetries++;
        log.info("Still waiting for the master at {}:{} to answer (attempt {} of {})", options.masterHost(), options.masterPort(),
                readyRetries + 1, options.connectRetries() + 1);
        send(ClientReady.foreign());
    }

    @Override
    public void onMessage(Message message, LocustMessage typed) {
        if (worker.ending() && !(typed instanceof Quit)) {
            return;
        }
        switch (typed) {
            case Spawn s -> {
                send(new Spawning());
                control.execute(() -> worker.spawn(s));
            }
            case HeartbeatReply h -> worker.heartbeatReply(message.nodeId());
            case Reconnect r -> {
                limited.warn("reconnect", "Received reconnect message from master. Resetting the connection.");
                connection.reconnect();
                worker.reannounce("The master at " + options.masterHost() + ":" + options.masterPort()
                        + " asked this worker to reconnect (it was restarted, or does not know this worker)");
            }
            case Ack a -> control.execute(() -> onAck(a));
            case Stop s -> control.execute(worker::stop);
            case Quit q -> control.execute(() -> {
                log.info("Got quit message from master, shutting down...");
                worker.quit();
            });
            case SpawningComplete c -> log.debug("The master reports {} users in all", c.userCount());
            case CustomTypeMessage c -> control.execute(() -> onCustom(message));
            default -> logUnknown(message.type());
        }
    }

    @Override
    public void onCorruptFrame(CorruptMessageException error) {
        limited.warn("corrupt", "Discarded a corrupt message from the master: {}", error.getMessage());
    }

    @Override
    public void onSocketFailure(Throwable error) {
        worker.socketFailed(error);
    }

    private void logUnknown(String type) {
        if (unknownTypesLogged.size() < LimitedLog.MAX_KINDS) {
            unknownTypesLogged.add(type);
        }
        limited.warn("unknown-type:" + type, "Unknown message type received from the master: {}", ReportCheck.shorten(type));
    }

    private void onAck(Ack ack) {
        boolean first = !everAcked;
        boolean again = !acked && everAcked;
        index = (int) ack.index();
        acked = true;
        everAcked = true;
        if (first) {
            log.info("Connected to the master at {}:{} as worker-{} ({})", options.masterHost(), options.masterPort(), index, nodeId);
        } else if (again) {
            log.info("Connected again to the master at {}:{} as worker-{} ({})", options.masterHost(), options.masterPort(), index,
                    nodeId);
        } else {
            log.debug("Acknowledged again as worker-{}", index);
        }
        worker.acknowledged(first);
    }

    private void onCustom(Message message) {
        if (!worker.deliver(new CustomMessage(message.type(), message.data(), message.nodeId()))) {
            logUnknown(message.type());
        } else {
            log.debug("Received {} message from master", message.type());
        }
    }
}
