package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.cluster.WorkerRunner;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.protocol.Heartbeat;
import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.NodeState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker tells its master on its own: a heartbeat every second (state, CPU, memory) and a
 * statistics delta every 3 s, as Locust's worker does; and whether the master still answers. A
 * master that answers heartbeats (Locust 2.19 and later, and jlocust's) and then stays silent for
 * {@link #reannounceAfter} (10 s, or half the heartbeat timeout if that is shorter) may have been
 * restarted without knowing this worker: the worker stops its users and announces itself again
 * (a master that knows it just takes it again). Silent for the whole heartbeat timeout, the master
 * is taken as lost. While the worker waits for an {@code ack}, it sends neither heartbeats nor
 * reports, as at the start.
 *
 * <p>Reports are made and sent on the timer thread only, the final one too, so they leave in the
 * order their deltas were taken (the final one before the worker's {@code quit}) with no lock
 * around the {@code report_to_master} listeners. The report lock only keeps a new test's reset of
 * the statistics apart from taking a delta. The rest is volatile.
 */
public final class WorkerReporter {
    private static final Logger log = LoggerFactory.getLogger(WorkerRunner.class);

    /** Locust's intervals. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(3);

    /** What the reporter reads of its worker. */
    public interface Worker {
        RunnerState state();

        Map<String, Integer> userClassesCount();

        boolean ending();

        /** The master stopped answering heartbeats; {@code why} is the line to log. */
        void masterLost(String why);

        /** The master has not answered for a while: the worker announces itself again. */
        void reannounce(String why);
    }

    private final Environment environment;
    private final MasterLink link;
    private final WorkerRunner.Options options;
    private final Worker worker;
    private final ScheduledExecutorService timers;
    private final Object reportLock = new Object();
    private volatile long lastMasterHeartbeatNanos;
    private volatile boolean masterHeartbeatSeen;
    private volatile boolean silenceReported;
    private volatile long memoryBytes;
    private volatile double cpuPercent;
    private int usageSamples;
    private StatsSnapshot previousReport;
    private double previousReportTime;

    /** Reports through {@code link} on {@code timers}, a single thread. */
    public WorkerReporter(Environment environment, MasterLink link, WorkerRunner.Options options, Worker worker,
            ScheduledExecutorService timers, long memoryBytes) {
        this.environment = environment;
        this.timers = timers;
        this.link = link;
        this.options = options;
        this.worker = worker;
        this.memoryBytes = memoryBytes;
        this.previousReportTime = RequestStats.nowMicros() / 1e6;
        environment.events().usageMonitor.addListener(u -> {
            this.memoryBytes = u.memoryUsage();
            // the first sample covers the JVM's start-up, not the load: report 0 until a real one, as psutil does
            if (usageSamples++ > 0) {
                cpuPercent = u.cpuUsage();
            }
        });
    }

    /** Starts the heartbeats and reports (once the master acknowledged the worker). */
    public void start() {
        lastMasterHeartbeatNanos = System.nanoTime();
        timers.scheduleAtFixedRate(this::heartbeat, 0, HEARTBEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(this::report, 0, REPORT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The master answered a heartbeat. */
    public void masterHeartbeat() {
        masterHeard();
        masterHeartbeatSeen = true;
    }

    /** The master sent something that shows it knows this worker (an {@code ack}). */
    public void masterHeard() {
        lastMasterHeartbeatNanos = System.nanoTime();
        silenceReported = false;
    }

    /** How long a master that answers heartbeats may be silent before the worker announces itself again. */
    static Duration reannounceAfter(Duration heartbeatTimeout) {
        Duration half = heartbeatTimeout.dividedBy(2);
        return half.compareTo(Duration.ofSeconds(10)) < 0 ? half : Duration.ofSeconds(10);
    }

    /** A new test: fresh statistics, and the next report counts from now. */
    public void newTest() {
        synchronized (reportLock) {
            environment.stats().reset();
            previousReport = null;
            previousReportTime = RequestStats.nowMicros() / 1e6;
        }
    }

    private void heartbeat() {
        try {
            if (worker.ending()) {
                return;
            }
            long silentNanos = System.nanoTime() - lastMasterHeartbeatNanos;
            if (masterHeartbeatSeen && silentNanos > options.masterHeartbeatTimeout().toNanos()) {
                worker.masterLost(String.format("No heartbeat from the master at %s:%d for %d s: it is gone, quitting",
                        options.masterHost(), options.masterPort(), options.masterHeartbeatTimeout().toSeconds()));
                return;
            }
            if (!link.acked()) {
                return;
            }
            if (masterHeartbeatSeen && !silenceReported && silentNanos > reannounceAfter(options.masterHeartbeatTimeout()).toNanos()) {
                silenceReported = true;
                worker.reannounce(String.format("The master at %s:%d has not answered for %d s", options.masterHost(),
                        options.masterPort(), silentNanos / 1_000_000_000L));
                return;
            }
            link.send(new Heartbeat(heartbeatState(worker.state()), cpuPercent, memoryBytes));
            environment.events().heartbeatSent.fire(new Events.Heartbeat(link.nodeId(), System.currentTimeMillis()));
        } catch (RuntimeException e) {
            log.warn("Heartbeat failed: {}", e.toString());
        }
    }

    private static String heartbeatState(RunnerState s) {
        return switch (s) {
            case SPAWNING -> NodeState.SPAWNING;
            // as Locust's worker: running until its users ended (a master takes "ready" as stopped)
            case RUNNING, STOPPING -> NodeState.RUNNING;
            default -> NodeState.READY;
        };
    }

    /**
     * Sends the last report, after any report under way, and waits (up to 5 s) until it is queued,
     * so that a {@code quit} sent next follows it.
     */
    public void finalReport() {
        try {
            timers.submit(() -> report(true)).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("The final stats report failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report() {
        report(false);
    }

    /** Sends the statistics of the interval since the previous report (unless waiting for an ack, but for the last one); on the timer thread. */
    private void report(boolean last) {
        if (!last && !link.acked()) {
            return;
        }
        try {
            Message message;
            synchronized (reportLock) {
                double now = RequestStats.nowMicros() / 1e6;
                StatsSnapshot snapshot = environment.stats().snapshot();
                StatsSnapshot delta = previousReport == null ? snapshot : snapshot.minus(previousReport, previousReportTime);
                previousReport = snapshot;
                previousReportTime = now;
                message = WireStats.report(delta, worker.userClassesCount()).toMessage(link.nodeId());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) message.data();
            environment.events().reportToMaster.fire(new Events.Report(link.nodeId(), data));
            link.send(message);
        } catch (RuntimeException e) {
            log.warn("Stats report failed: {}", e.toString(), e);
        }
    }
}
