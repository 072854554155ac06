package io.locusttelemetry.bench.merge;

import io.locusttelemetry.protocol.Ack;
import io.locusttelemetry.protocol.ClientReady;
import io.locusttelemetry.protocol.ClientStopped;
import io.locusttelemetry.protocol.CorruptMessageException;
import io.locusttelemetry.protocol.Heartbeat;
import io.locusttelemetry.protocol.HeartbeatReply;
import io.locusttelemetry.protocol.LocustMessage;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.MessageCodec;
import io.locusttelemetry.protocol.NodeId;
import io.locusttelemetry.protocol.NodeState;
import io.locusttelemetry.protocol.Quit;
import io.locusttelemetry.protocol.Reconnect;
import io.locusttelemetry.protocol.Spawn;
import io.locusttelemetry.protocol.Spawning;
import io.locusttelemetry.protocol.SpawningComplete;
import io.locusttelemetry.protocol.Stats;
import io.locusttelemetry.protocol.Stop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * N simulated Locust workers against a real master, for the master-merge benchmark.
 *
 * <p>Each worker is its own ZeroMQ DEALER connection whose identity is its node id, spoken
 * directly over a socket channel ({@link ZmtpDealer}), all on one thread and one selector, so that
 * one core holds thousands of them. A worker behaves as a latest Locust worker does on the wire:
 * it sends {@code client_ready} (retried every 5 s until acked); once acked, a heartbeat every
 * second and a statistics delta every report interval (empty before the first spawn); it answers
 * {@code spawn} with {@code spawning} and {@code spawning_complete}, {@code stop} with
 * {@code client_stopped} and a new {@code client_ready}, {@code reconnect} with a new connection,
 * and {@code quit} with a final report and {@code quit}. The reports are built by
 * {@link ReportFactory} and encoded by the protocol module. The workers connect at
 * {@code --connect-rate} a second (a master's listen backlog is small).
 *
 * <p>Progress goes to a status file ({@link SimStatus}) so a script can read the counters at the
 * edges of a measurement window. On SIGTERM the workers say {@code quit} and the program ends.
 */
public final class MergeSimulator {

    private static final long SECOND = 1_000_000_000L;
    private static final long READY_RETRY = 5 * SECOND;
    private static final long TICK = 5_000_000L;
    private static final long RECONNECT_DELAY = 200_000_000L;

    private final SimConfig config;
    private final ReportFactory reports;
    private final List<SimWorker> workers = new ArrayList<>();
    private final List<SimWorker> reconnectPending = new ArrayList<>();
    private final SimStatus status;
    private final InetSocketAddress master;
    private Selector selector;
    private volatile boolean stopRequested;

    MergeSimulator(SimConfig config) {
        this.config = config;
        this.reports = new ReportFactory(config.entries(), config.rps(), config.seed());
        this.status = new SimStatus(config.status(), config.latency());
        this.master = new InetSocketAddress(config.host(), config.port());
    }

    public static void main(String[] args) throws Exception {
        SimConfig config = SimConfig.parse(args);
        MergeSimulator sim = new MergeSimulator(config);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.stopRequested = true;
            try {
                main.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sim-shutdown"));
        sim.run();
    }

    private void run() throws IOException {
        selector = Selector.open();
        for (int i = 0; i < config.workers(); i++) {
            workers.add(new SimWorker(i, NodeId.generate(config.hostPart() + "-" + i)));
        }
        log("%d workers connecting to %s:%d at %d a second (client_ready %s, report every %.1f s, heartbeat every %.1f s,"
                + " %.0f req/s and %d names per worker)", config.workers(), config.host(), config.port(), config.connectRate(),
                config.version(), config.intervalSeconds(), config.heartbeatSeconds(), config.rps(), config.entries());
        long start = System.nanoTime();
        long nextStatus = start;
        long nextTick = start;
        int connected = 0;
        boolean quitting = false;
        long quitDeadline = Long.MAX_VALUE;
        while (true) {
            long now = System.nanoTime();
            if (stopRequested && !quitting) {
                quitting = true;
                quitDeadline = now + SECOND;
                for (SimWorker w : workers) {
                    if (!w.quitSent && w.dealer != null) {
                        send(w, new Quit());
                        w.quitSent = true;
                    }
                }
                log("stopping: told the master every worker quits");
            }
            if (!quitting && connected == workers.size() && allQuit()) {
                quitting = true;
                quitDeadline = now + SECOND; // let the final messages leave
            }
            if (quitting && now >= quitDeadline) {
                break;
            }
            // connect at the configured rate
            long allowed = Math.min(workers.size(), (now - start) * config.connectRate() / SECOND + 1);
            while (!quitting && connected < allowed) {
                SimWorker w = workers.get(connected++);
                open(w);
                sendReady(w, now);
            }
            long waitMs = Math.max(1, Math.min(TICK, nextTick - now) / 1_000_000);
            if (selector.select(waitMs) > 0) {
                for (SelectionKey key : selector.selectedKeys()) {
                    SimWorker w = (SimWorker) key.attachment();
                    if (w.dealer == null || w.dealer.isClosed()) {
                        continue;
                    }
                    for (byte[] frame : w.dealer.ready(key)) {
                        receive(w, frame);
                    }
                    if (w.dealer.isClosed() && !w.quitSent && !quitting) {
                        // refused (the master is not listening yet) or closed: connect again a little later
                        if (status.closedByPeer++ < 5) {
                            log("worker %d: connection closed (%s), connecting again", w.number, w.dealer.failure());
                        }
                        w.reconnectAt = System.nanoTime() + RECONNECT_DELAY;
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SimWorker w : reconnectPending) {
                if (!w.quitSent) {
                    reopen(w);
                    sendReady(w, System.nanoTime());
                }
            }
            reconnectPending.clear();
            now = System.nanoTime();
            if (now >= nextTick) {
                tick(now);
                nextTick = now + TICK;
            }
            if (now >= nextStatus) {
                status.write(workerCounts(), false);
                nextStatus += SECOND;
                if (nextStatus < now) {
                    nextStatus = now + SECOND;
                }
            }
        }
        for (SimWorker w : workers) {
            if (w.dealer != null) {
                w.dealer.close();
            }
        }
        selector.close();
        status.write(workerCounts(), true);
        System.out.println(status.summary(workerCounts()));
        System.out.flush();
    }

    /** Sends what is due: client_ready retries, heartbeats, reports. */
    private void tick(long now) {
        for (SimWorker w : workers) {
            if (w.quitSent || w.dealer == null) {
                continue;
            }
            if (w.dealer.isClosed()) {
                if (w.reconnectAt != 0 && now >= w.reconnectAt) {
                    w.reconnectAt = 0;
                    reopen(w);
                    sendReady(w, now);
                }
                continue;
            }
            if (!w.acked) {
                if (now >= w.nextReady) {
                    sendReady(w, now);
                }
                continue;
            }
            if (now >= w.nextHeartbeat) {
                // CPU and RSS as a busy Python worker reports them
                long n = status.heartbeats;
                if (send(w, new Heartbeat(w.state, 40.0 + 10.0 * ((n % 7) / 7.0), 62_000_000L + (n % 13) * 4096L))) {
                    status.heartbeats++;
                    if (w.lastHeartbeatSent != 0) {
                        status.heartbeatGap(now - w.lastHeartbeatSent);
                    }
                    w.lastHeartbeatSent = now;
                    if (w.heartbeatPendingSince == 0) {
                        w.heartbeatPendingSince = now;
                    }
                }
                w.nextHeartbeat += (long) (config.heartbeatSeconds() * SECOND);
                if (w.nextHeartbeat < now) {
                    w.nextHeartbeat = now + (long) (config.heartbeatSeconds() * SECOND);
                }
            }
            if (now >= w.nextReport) {
                report(w, false);
                w.nextReport += (long) (config.intervalSeconds() * SECOND);
                if (w.nextReport < now) {
                    w.nextReport = now + (long) (config.intervalSeconds() * SECOND);
                }
            }
        }
    }

    private boolean allQuit() {
        for (SimWorker w : workers) {
            if (!w.quitSent) {
                return false;
            }
        }
        return true;
    }

    private void open(SimWorker w) {
        try {
            w.dealer = ZmtpDealer.connect(selector, master, w.nodeId, w);
        } catch (IOException e) {
            log("worker %d: cannot connect (%s)", w.number, e);
            status.sendFailures++;
        }
    }

    private void reopen(SimWorker w) {
        if (w.dealer != null) {
            w.dealer.close();
        }
        w.acked = false;
        w.heartbeatPendingSince = 0;
        open(w);
    }

    private void sendReady(SimWorker w, long now) {
        Object version = "-1".equals(config.version()) ? ClientReady.FOREIGN_VERSION : config.version();
        send(w, new ClientReady(version));
        w.nextReady = now + READY_RETRY;
    }

    private boolean send(SimWorker w, LocustMessage message) {
        return send(w, MessageCodec.encode(message.toMessage(w.nodeId)));
    }

    private boolean send(SimWorker w, byte[] body) {
        if (w.dealer == null || !w.dealer.send(body)) {
            status.sendFailures++;
            return false;
        }
        return true;
    }

    private void receive(SimWorker w, byte[] frame) {
        Message m;
        try {
            m = MessageCodec.decode(frame);
        } catch (CorruptMessageException e) {
            log("worker %d: corrupt frame from the master: %s", w.number, e.getMessage());
            return;
        }
        handle(w, LocustMessage.fromMaster(m));
    }

    private void handle(SimWorker w, LocustMessage typed) {
        long now = System.nanoTime();
        switch (typed) {
            case Ack a -> {
                boolean first = !w.acked;
                w.acked = true;
                w.index = a.index();
                if (first) {
                    w.nextHeartbeat = now;
                    // Locust workers start reporting when acked; unless aligned, spread the
                    // workers' phases over the interval as independently started workers are
                    long phase = config.aligned() ? 0
                            : (long) (config.intervalSeconds() * SECOND * w.number / config.workers());
                    w.nextReport = now + phase;
                    w.lastReportUnix = unixNow();
                }
            }
            case Spawn s -> {
                status.spawnsReceived++;
                send(w, new Spawning());
                if (s.timestamp() <= w.lastSpawnTimestamp) {
                    return;
                }
                if (!w.spawnedOnce) {
                    w.spawnedOnce = true;
                    status.spawned();
                }
                w.lastSpawnTimestamp = s.timestamp();
                if (!w.running()) {
                    w.loadSinceUnix = unixNow();
                }
                w.userClassesCount = new LinkedHashMap<>(s.userClassesCount());
                w.state = NodeState.RUNNING;
                send(w, SpawningComplete.ofWorker(w.userClassesCount));
            }
            case HeartbeatReply h -> {
                status.heartbeatReplies++;
                if (w.heartbeatPendingSince != 0) {
                    status.replyLatency(now - w.heartbeatPendingSince);
                    w.heartbeatPendingSince = 0;
                }
            }
            case SpawningComplete c -> status.broadcastsReceived++;
            case Stop s -> {
                w.state = NodeState.READY;
                w.loadSinceUnix = Double.NaN;
                send(w, new ClientStopped());
                sendReady(w, now);
            }
            case Quit q -> {
                if (!w.quitSent) {
                    report(w, true);
                    send(w, new Quit());
                    w.quitSent = true;
                    w.state = NodeState.STOPPED;
                }
            }
            case Reconnect r -> {
                status.reconnects++;
                log("worker %d: reconnect requested by the master", w.number);
                reconnectPending.add(w);
            }
            default -> status.otherReceived++;
        }
    }

    private void report(SimWorker w, boolean last) {
        double now = unixNow();
        Stats stats;
        if (w.running() && !Double.isNaN(w.loadSinceUnix)) {
            double from = Math.max(w.lastReportUnix, w.loadSinceUnix);
            stats = reports.busy(from, now, w.userClassesCount);
        } else {
            stats = ReportFactory.idle(w.lastReportUnix, w.userClassesCount);
        }
        w.lastReportUnix = now;
        byte[] body = MessageCodec.encode(stats.toMessage(w.nodeId));
        if (!send(w, body)) {
            return;
        }
        long buckets = 0;
        for (var e : stats.entries()) {
            buckets += e.responseTimes().size();
        }
        status.report(body.length, stats.entries().size(), buckets, stats.total().numRequests(), stats.total().numFailures(), last);
    }

    private static double unixNow() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private Map<String, Object> workerCounts() {
        int acked = 0;
        int running = 0;
        int quit = 0;
        for (SimWorker w : workers) {
            acked += w.acked ? 1 : 0;
            running += w.running() ? 1 : 0;
            quit += w.quitSent ? 1 : 0;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("workers", config.workers());
        c.put("acked", acked);
        c.put("running", running);
        c.put("quit", quit);
        return c;
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[sim %tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
