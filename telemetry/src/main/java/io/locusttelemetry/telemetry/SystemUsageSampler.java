package io.locusttelemetry.telemetry;

import io.locusttelemetry.engine.AbstractRunner;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.process.CpuMeter;
import io.locusttelemetry.engine.process.CpuReading;
import io.locusttelemetry.engine.process.NetworkBytes;
import io.locusttelemetry.engine.process.NetworkCounters;
import io.locusttelemetry.engine.process.ResidentMemory;
import io.locusttelemetry.telemetry.internal.GcPauses;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples this process's CPU (percent of one core), resident memory, the machine's network bytes
 * (all interfaces summed), all three through the engine's {@code io.locusttelemetry.engine.process}
 * API, and the JVM's heap and GC time, on demand ({@link #sample()}) or on a schedule
 * ({@link #every}). One sampler per environment is
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
    /** A CPU warning needs a reading over at least this window. */
    private static final long CPU_WARNING_WINDOW_NANOS = 1_000_000_000L;

    private final Environment env;
    private final ScheduledExecutorService scheduler;
    /** CPU windows shorter than {@link CpuMeter#MIN_WINDOW} repeat the previous value. */
    private final CpuMeter cpuMeter = new CpuMeter();
    private final ResidentMemory residentMemory = new ResidentMemory();
    private final NetworkCounters network = new NetworkCounters();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Consumer<Environment> onTestStart = e -> cpuWarned = false;
    private final Consumer<Events.CpuWarning> onCpuWarning = w -> cpuWarned = true;
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
            CpuReading cpu = cpuMeter.read();
            long rss = residentMemory.bytes();
            NetworkBytes net = network.read();
            long gcTime = 0;
            long gcCount = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (GcPauses.isPauses(gc.getName())) {
                    gcCount += Math.max(0, gc.getCollectionCount());
                    gcTime += Math.max(0, gc.getCollectionTime());
                }
            }
            MemoryUsage heap = memory.getHeapMemoryUsage();
            usage = new SystemUsage(Instant.now(), cpu.percent(), rss, net.sent(), net.received(), heap.getUsed(),
                    heap.getCommitted(), gcTime, gcCount, Runtime.getRuntime().availableProcessors());
            latest = usage;
            latestNanos = System.nanoTime();
            warnable = cpu.windowNanos() >= CPU_WARNING_WINDOW_NANOS;
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

    private void checkCpu(SystemUsage usage) {
        double limit = AbstractRunner.CPU_WARNING_THRESHOLD * usage.availableProcessors();
        if (usage.cpuPercent() > limit && !cpuWarned) {
            cpuWarned = true;
            Events.CpuWarning warning = Events.CpuWarning.of(usage.cpuPercent());
            log.warn(warning.message());
            env.events().cpuWarning.fire(warning);
        }
    }

    /** Stops listening to the environment's events. Scheduled sampling is stopped by cancelling its future. */
    @Override
    public void close() {
        env.events().testStart.removeListener(onTestStart);
        env.events().cpuWarning.removeListener(onCpuWarning);
    }
}
