package io.locusttelemetry.telemetry;

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
 * <p>CPU warnings are the runner's ({@code events.cpuWarning}, from its own 5 s samples, as Locust's
 * runners do): a recorder that wants them listens to that event.
 */
public final class SystemUsageSampler {
    private static final Logger log = LoggerFactory.getLogger(SystemUsageSampler.class);
    /** Samples closer together than this are served from the previous one. */
    public static final Duration MIN_SAMPLE_INTERVAL = Duration.ofMillis(200);
    private final ScheduledExecutorService scheduler;
    /** CPU windows shorter than {@link CpuMeter#MIN_WINDOW} repeat the previous value. */
    private final CpuMeter cpuMeter = new CpuMeter();
    private final ResidentMemory residentMemory = new ResidentMemory();
    private final NetworkCounters network = new NetworkCounters();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private volatile SystemUsage latest;
    private volatile long latestNanos;

    /** @param scheduler where scheduled sampling runs */
    public SystemUsageSampler(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** A fresh reading (or the previous one when it is younger than {@link #MIN_SAMPLE_INTERVAL}). */
    public SystemUsage sample() {
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
            SystemUsage usage = new SystemUsage(Instant.now(), cpu.percent(), rss, net.sent(), net.received(), heap.getUsed(),
                    heap.getCommitted(), gcTime, gcCount, Runtime.getRuntime().availableProcessors());
            latest = usage;
            latestNanos = System.nanoTime();
            return usage;
        }
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
}
