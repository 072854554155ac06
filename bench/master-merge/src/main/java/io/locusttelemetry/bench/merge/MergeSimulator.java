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
import io.locusttelemetry.protocol.internal.Zmq;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * N simulated Locust workers against a real master, for the master-merge benchmark.
 *
 * <p>Each worker is its own ZeroMQ DEALER whose identity is its node id, configured like the
 * project's worker transport (TCP keepalive, short handshake timeout, 500 ms linger). All sockets
 * live on one thread. A worker behaves as a latest Locust worker does on the wire: it sends
 * {@code client_ready} (retried every 5 s until acked); once acked, a heartbeat every second and a
 * statistics delta every report interval (empty before the first spawn); it answers
 * {@code spawn} with {@code spawning} and {@code spawning_complete}, {@code stop} with
 * {@code client_stopped} and a new {@code client_ready}, {@code reconnect} with a new socket, and
 * {@code quit} with a final report and {@code quit}. The reports are built by
 * {@link ReportFactory} and encoded by the protocol module.
 *
 * <p>Progress goes to a status file (key=value lines, rewritten every second) so a script can
 * read the counters at the edges of a measurement window. On SIGTERM the workers say
 * {@code quit} and the program ends.
 */
public final class MergeSimulator {

    private static final long SECOND = 1_000_000_000L;
    private static final long READY_RETRY = 5 * SECOND;

    private final Config config;
    private final ReportFactory reports;
    private final List<SimWorker> workers = new ArrayList<>();
    private ZContext ctx;
    private ZMQ.Poller poller;
    private final Map<ZMQ.Socket, SimWorker> bySocket = new java.util.IdentityHashMap<>();
    private final List<SimWorker> reconnectPending = new ArrayList<>();
    private volatile boolean stopRequested;
    private final long startNanos = System.nanoTime();

    // counters, owned by the socket thread
    private long statsReports;
    private long busyReports;
    private long finalReports;
    private long requests;
    private long failures;
    private long heartbeats;
    private long heartbeatReplies;
    private long spawnsReceived;
    private long broadcastsReceived;
    private long otherReceived;
    private long reconnects;
    private long sendFailures;
    private long reportBytes;
    private long busyEntries;
    private long busyBuckets;
    private long maxReportBytes;

    record Config(String host, int port, int workers, double intervalSeconds, double heartbeatSeconds, double rps,
            int entries, String version, Path status, boolean aligned, long seed, String hostPart) {}

    /** One simulated worker process. */
    private static final class SimWorker {
        final int number;
        final String nodeId;
        ZMQ.Socket socket;
        boolean acked;
        long index = -1;
        String state = NodeState.READY;
        Map<String, Long> userClassesCount = new LinkedHashMap<>();
        double lastSpawnTimestamp = Double.NEGATIVE_INFINITY;
        long nextReady;
        long nextHeartbeat = Long.MAX_VALUE;
        long nextReport = Long.MAX_VALUE;
        double lastReportUnix;
        double loadSinceUnix = Double.NaN;
        boolean quitSent;
        long reports;

        SimWorker(int number, String nodeId) {
            this.number = number;
            this.nodeId = nodeId;
        }

        boolean running() {
            return NodeState.RUNNING.equals(state);
        }
    }

    MergeSimulator(Config config) {
        this.config = config;
        this.reports = new ReportFactory(config.entries(), config.rps(), config.seed());
    }

    public static void main(String[] args) throws Exception {
        Config config = parse(args);
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

    private static Config parse(String[] args) {
        String host = "127.0.0.1";
        int port = 5557;
        int workers = 50;
        double interval = 3.0;
        double heartbeat = 1.0;
        double rps = 1000;
        int entries = 10;
        String version = "2.46.3";
        Path status = null;
        boolean aligned = false;
        long seed = 42;
        String hostPart = "sim";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--interval" -> interval = Double.parseDouble(args[++i]);
                case "--heartbeat-interval" -> heartbeat = Double.parseDouble(args[++i]);
                case "--rps" -> rps = Double.parseDouble(args[++i]);
                case "--entries" -> entries = Integer.parseInt(args[++i]);
                case "--version" -> version = args[++i];
                case "--status" -> status = Path.of(args[++i]);
                case "--aligned" -> aligned = true;
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--host-part" -> hostPart = args[++i];
                case "-h", "--help" -> {
                    System.out.println("""
                            MergeSimulator --port P [--host 127.0.0.1] [--workers 50] [--interval 3] \
                            [--heartbeat-interval 1] [--rps 1000] [--entries 10] [--version 2.46.3|-1] \
                            [--status FILE] [--aligned] [--seed 42] [--host-part sim]""");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (workers < 1 || entries < 1 || interval <= 0 || heartbeat <= 0 || rps < 0) {
            throw new IllegalArgumentException("workers, entries, intervals must be positive");
        }
        return new Config(host, port, workers, interval, heartbeat, rps, entries, version, status, aligned, seed, hostPart);
    }

    private void run() throws InterruptedException {
        ctx = Zmq.newContext();
        poller = ctx.createPoller(config.workers());
        long now = System.nanoTime();
        for (int i = 0; i < config.workers(); i++) {
            SimWorker w = new SimWorker(i, NodeId.generate(config.hostPart() + "-" + i));
            workers.add(w);
            open(w);
            sendReady(w, now);
        }
        log("%d workers connecting to %s:%d (client_ready %s, report every %.1f s, heartbeat every %.1f s, %.0f req/s"
                + " and %d names per worker)", config.workers(), config.host(), config.port(), config.version(),
                config.intervalSeconds(), config.heartbeatSeconds(), config.rps(), config.entries());
        long nextStatus = now;
        boolean quitting = false;
        long quitDeadline = Long.MAX_VALUE;
        while (true) {
            now = System.nanoTime();
            if (stopRequested && !quitting) {
                quitting = true;
                quitDeadline = now + SECOND;
                for (SimWorker w : workers) {
                    if (!w.quitSent) {
                        send(w, new Quit());
                        w.quitSent = true;
                    }
                }
                log("stopping: told the master every worker quits");
            }
            if (allQuit() && !quitting) {
                quitting = true;
                quitDeadline = now + SECOND; // let the final messages leave
            }
            if (quitting && now >= quitDeadline) {
                break;
            }
            long due = Math.min(nextStatus, quitDeadline);
            for (SimWorker w : workers) {
                if (w.quitSent) {
                    continue;
                }
                if (!w.acked) {
                    due = Math.min(due, w.nextReady);
                } else {
                    due = Math.min(due, Math.min(w.nextHeartbeat, w.nextReport));
                }
            }
            long waitMs = Math.max(0, Math.min(100, (due - now) / 1_000_000));
            if (poller.poll(waitMs) > 0) {
                for (int i = 0; i < poller.getSize(); i++) {
                    if (poller.pollin(i)) {
                        receive(bySocket.get(poller.getSocket(i)));
                    }
                }
            }
            for (SimWorker w : reconnectPending) {
                reopen(w);
                sendReady(w, System.nanoTime());
            }
            reconnectPending.clear();
            now = System.nanoTime();
            for (SimWorker w : workers) {
                if (w.quitSent) {
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
                    send(w, new Heartbeat(w.state, 40.0 + 10.0 * ((heartbeats % 7) / 7.0), 62_000_000L + (heartbeats % 13) * 4096L));
                    heartbeats++;
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
            if (now >= nextStatus) {
                writeStatus(false);
                nextStatus += SECOND;
                if (nextStatus < now) {
                    nextStatus = now + SECOND;
                }
            }
        }
        poller.close();
        ctx.close();
        writeStatus(true);
        System.out.println(summary());
        System.out.flush();
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
        ZMQ.Socket s = ctx.createSocket(SocketType.DEALER);
        s.setIdentity(w.nodeId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        s.setLinger(Zmq.CLOSE_LINGER_MS);
        Zmq.configureTcp(s);
        Zmq.configureConnecting(s);
        s.connect(Zmq.endpoint(config.host(), Integer.toString(config.port())));
        w.socket = s;
        bySocket.put(s, w);
        poller.register(s, ZMQ.Poller.POLLIN);
    }

    private void reopen(SimWorker w) {
        bySocket.remove(w.socket);
        poller.unregister(w.socket);
        w.socket.setLinger(0);
        w.socket.close();
        open(w);
    }

    private void sendReady(SimWorker w, long now) {
        Object version = "-1".equals(config.version()) ? ClientReady.FOREIGN_VERSION : config.version();
        send(w, new ClientReady(version));
        w.nextReady = now + READY_RETRY;
    }

    private void send(SimWorker w, LocustMessage message) {
        send(w, MessageCodec.encode(message.toMessage(w.nodeId)));
    }

    private boolean send(SimWorker w, byte[] body) {
        if (!w.socket.send(body, ZMQ.DONTWAIT)) {
            sendFailures++;
            return false;
        }
        return true;
    }

    private void receive(SimWorker w) {
        for (int i = 0; i < 256; i++) {
            byte[] frame = w.socket.recv(ZMQ.DONTWAIT);
            if (frame == null) {
                return;
            }
            while (w.socket.hasReceiveMore()) {
                w.socket.recv(0);
            }
            Message m;
            try {
                m = MessageCodec.decode(frame);
            } catch (CorruptMessageException e) {
                log("worker %d: corrupt frame from the master: %s", w.number, e.getMessage());
                continue;
            }
            handle(w, LocustMessage.fromMaster(m));
            if (reconnectPending.contains(w)) {
                return;
            }
        }
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
                spawnsReceived++;
                send(w, new Spawning());
                if (s.timestamp() <= w.lastSpawnTimestamp) {
                    return;
                }
                w.lastSpawnTimestamp = s.timestamp();
                if (!w.running()) {
                    w.loadSinceUnix = unixNow();
                }
                w.userClassesCount = new LinkedHashMap<>(s.userClassesCount());
                w.state = NodeState.RUNNING;
                send(w, SpawningComplete.ofWorker(w.userClassesCount));
            }
            case HeartbeatReply h -> heartbeatReplies++;
            case SpawningComplete c -> broadcastsReceived++;
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
                reconnects++;
                log("worker %d: reconnect requested by the master", w.number);
                w.acked = false;
                reconnectPending.add(w);
            }
            default -> otherReceived++;
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
        w.reports++;
        statsReports++;
        if (last) {
            finalReports++;
        }
        requests += stats.total().numRequests();
        failures += stats.total().numFailures();
        reportBytes += body.length;
        maxReportBytes = Math.max(maxReportBytes, body.length);
        if (!stats.entries().isEmpty()) {
            busyReports++;
            busyEntries += stats.entries().size();
            for (var e : stats.entries()) {
                busyBuckets += e.responseTimes().size();
            }
        }
    }

    private static double unixNow() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private int count(java.util.function.Predicate<SimWorker> p) {
        int n = 0;
        for (SimWorker w : workers) {
            if (p.test(w)) {
                n++;
            }
        }
        return n;
    }

    private Map<String, Object> counters() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("workers", config.workers());
        c.put("acked", count(w -> w.acked));
        c.put("running", count(SimWorker::running));
        c.put("quit", count(w -> w.quitSent));
        c.put("reports", statsReports);
        c.put("busy_reports", busyReports);
        c.put("final_reports", finalReports);
        c.put("requests", requests);
        c.put("failures", failures);
        c.put("heartbeats", heartbeats);
        c.put("heartbeat_replies", heartbeatReplies);
        c.put("spawns", spawnsReceived);
        c.put("spawning_complete_broadcasts", broadcastsReceived);
        c.put("other_messages", otherReceived);
        c.put("reconnects", reconnects);
        c.put("send_failures", sendFailures);
        c.put("avg_report_bytes", statsReports == 0 ? 0 : reportBytes / statsReports);
        c.put("max_report_bytes", maxReportBytes);
        c.put("avg_rows_per_busy_report", busyReports == 0 ? "0" : fmt(busyEntries / (double) busyReports));
        c.put("avg_buckets_per_row", busyEntries == 0 ? "0" : fmt(busyBuckets / (double) busyEntries));
        c.put("elapsed_s", fmt((System.nanoTime() - startNanos) / 1e9));
        return c;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private void writeStatus(boolean done) {
        if (config.status() == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        counters().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        sb.append("done=").append(done ? 1 : 0).append('\n');
        Path tmp = config.status().resolveSibling(config.status().getFileName() + ".tmp");
        try {
            Files.writeString(tmp, sb);
            Files.move(tmp, config.status(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String summary() {
        StringBuilder sb = new StringBuilder("simulator:");
        counters().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[sim %tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

}
