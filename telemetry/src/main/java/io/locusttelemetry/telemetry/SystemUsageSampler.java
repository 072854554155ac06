package io.locusttelemetry.telemetry;

import io.locusttelemetry.engine.AbstractRunner;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.internal.ProcFs;
import io.locusttelemetry.engine.internal.ProcessUsage;
import io.locusttelemetry.telemetry.internal.GcPauses;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.NetworkIF;

/**
 * Samples this process's CPU (percent of one core), resident memory, the machine's network bytes
 * (all interfaces summed; from /proc on Linux, elsewhere via OSHI) and the JVM's heap and GC time,
 * on demand ({@link #sample()}) or on a schedule ({@link #every}). One sampler per environment is
 * shared by all recorders (see {@link TelemetryCoordinator#systemUsage()}), so CPU windows are not
 * cut short by several readers: a sample younger than {@link #MIN_SAMPLE_INTERVAL} is reused.
 *
 * <p>When CPU exceeds 90% of the available cores, it fires {@code events.cpuWarning}, at most once
 * per test and not if a warning was already fired in this test (the runner fires one too).
 */
public final class SystemUsageSampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemUsageSampler.class);
    /** Samples closer together than this are served from the previous one. */
    public static final Duration MIN_SAMPLE_INTERVAL = Duration.ofMillis(200);
    private static final long INTERFACE_REFRESH_NANOS = 60_000_000_000L;
    /** CPU over a shorter window is too coarse (the OS counts CPU time in ticks): the previous value is kept. */
    private static final long MIN_CPU_WINDOW_NANOS = 250_000_000L;
    /** A CPU warning needs a reading over at least this window. */
    private static final long CPU_WARNING_WINDOW_NANOS = 1_000_000_000L;

    private final Environment env;
    private final ScheduledExecutorService scheduler;
    private final ProcessUsage process = new ProcessUsage();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuBaseNanos = os.getProcessCpuTime();
    private long cpuWallBaseNanos = System.nanoTime();
    private double cpuPercent = Double.NaN;
    private boolean cpuWindowLongEnough;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Consumer<Environment> onTestStart = e -> cpuWarned = false;
    private final Consumer<Events.CpuWarning> onCpuWarning = w -> cpuWarned = true;
    private SystemInfo systemInfo;
    private List<NetworkIF> interfaces;
    private long interfacesListedAt;
    private boolean networkUnavailable;
    /** Whether /proc/net/dev answers (Linux); otherwise OSHI lists the interfaces. */
    private boolean procNetDev = true;
    private volatile SystemUsage latest;
    private volatile long latestNanos;
    private volatile boolean cpuWarned;

    /**
     * @param env       whose {@code cpuWarning} event to fire
     * @param scheduler where scheduled sampling runs
     */
    public SystemUsageSampler(Environment env, ScheduledExecutorService scheduler) {
        this.env = env;
        this.scheduler = scheduler;
        env.events().testStart.addListener(onTestStart);
        env.events().cpuWarning.addListener(onCpuWarning);
    }

    /** A fresh reading (or the previous one when it is younger than {@link #MIN_SAMPLE_INTERVAL}). */
    public SystemUsage sample() {
        SystemUsage usage;
        boolean warnable;
        synchronized (this) {
            long now = System.nanoTime();
            SystemUsage last = latest;
            if (last != null && now - latestNanos < MIN_SAMPLE_INTERVAL.toNanos()) {
                return last;
            }
            double cpu = cpu(now);
            long rss = process.residentBytes();
            long[] net = network(now);
            long gcTime = 0;
            long gcCount = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (GcPauses.isPauses(gc.getName())) {
                    gcCount += Math.max(0, gc.getCollectionCount());
                    gcTime += Math.max(0, gc.getCollectionTime());
                }
            }
            MemoryUsage heap = memory.getHeapMemoryUsage();
            usage = new SystemUsage(Instant.now(), cpu, rss, net[0], net[1], heap.getUsed(), heap.getCommitted(),
                    gcTime, gcCount, process.availableProcessors());
            latest = usage;
            latestNanos = System.nanoTime();
            warnable = cpuWindowLongEnough;
        }
        if (warnable) {
            checkCpu(usage);
        }
        return usage;
    }

    /** The latest reading, sampling one if there is none yet. */
    public SystemUsage latest() {
        SystemUsage l = latest;
        return l != null ? l : sample();
    }

    /**
     * Samples every {@code period} (first at once) and hands each reading to {@code consumer} on the
     * telemetry thread. Cancel the returned future to stop.
     */
    public ScheduledFuture<?> every(Duration period, Consumer<SystemUsage> consumer) {
        return scheduler.scheduleAtFixedRate(() -> {
            try {
                consumer.accept(sample());
            } catch (RuntimeException | LinkageError e) {
                log.warn("system usage sampling failed: {}", e.toString(), e);
            }
        }, 0, period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * CPU in percent of one core since the previous reading. A reading earlier than
     * {@link #MIN_CPU_WINDOW_NANOS} after the previous one repeats it; the very first reading that
     * early is the average since the JVM started.
     */
    private double cpu(long now) {
        long cpuTime = os.getProcessCpuTime();
        if (cpuTime < 0) {
            return 0;
        }
        long wall = now - cpuWallBaseNanos;
        if (wall >= MIN_CPU_WINDOW_NANOS) {
            cpuPercent = 100.0 * (cpuTime - cpuBaseNanos) / wall;
            cpuWindowLongEnough = wall >= CPU_WARNING_WINDOW_NANOS;
            cpuBaseNanos = cpuTime;
            cpuWallBaseNanos = now;
        } else if (Double.isNaN(cpuPercent)) {
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
            cpuPercent = uptime > 0 ? 100.0 * cpuTime / uptime : 0;
            cpuWindowLongEnough = false;
        } else {
            cpuWindowLongEnough = false;
        }
        return Math.max(0, cpuPercent);
    }

    private void checkCpu(SystemUsage usage) {
        double limit = AbstractRunner.CPU_WARNING_THRESHOLD * usage.availableProcessors();
        if (usage.cpuPercent() > limit && !cpuWarned) {
            cpuWarned = true;
            String msg = String.format(Locale.ROOT, "CPU usage above %.0f%%! This may constrain your throughput and may even give"
                    + " inconsistent response time measurements!", AbstractRunner.CPU_WARNING_THRESHOLD);
            log.warn(msg);
            env.events().cpuWarning.fire(new Events.CpuWarning(usage.cpuPercent(), msg, System.currentTimeMillis()));
        }
    }

    /** Sent and received bytes summed over all interfaces (loopback included, as psutil does). */
    private long[] network(long now) {
        if (networkUnavailable) {
            return new long[] {0, 0};
        }
        if (procNetDev) {
            long[] fromProc = ProcFs.networkBytes();
            if (fromProc != null) {
                return fromProc;
            }
            procNetDev = false;
        }
        try {
            if (interfaces == null || now - interfacesListedAt > INTERFACE_REFRESH_NANOS) {
                if (systemInfo == null) {
                    systemInfo = new SystemInfo();
                }
                interfaces = systemInfo.getHardware().getNetworkIFs(true);
                interfacesListedAt = now;
            } else {
                for (NetworkIF nif : interfaces) {
                    nif.updateAttributes();
                }
            }
            long sent = 0;
            long recv = 0;
            for (NetworkIF nif : interfaces) {
                sent += Math.max(0, nif.getBytesSent());
                recv += Math.max(0, nif.getBytesRecv());
            }
            return new long[] {sent, recv};
        } catch (RuntimeException | LinkageError e) {
            networkUnavailable = true;
            log.warn("network counters unavailable, network metrics will be 0: {}", e.toString());
            return new long[] {0, 0};
        }
    }

    /** Stops listening to the environment's events. Scheduled sampling is stopped by cancelling its future. */
    @Override
    public void close() {
        env.events().testStart.removeListener(onTestStart);
        env.events().cpuWarning.removeListener(onCpuWarning);
    }
}
