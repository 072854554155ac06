package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.process.CpuMeter;
import io.locusttelemetry.engine.process.ResidentMemory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner's own CPU and memory, as Locust's runners watch theirs: sampled every 5 s into the
 * {@code usageMonitor} event, with Locust's one-off warning when the process uses more than
 * {@code threshold} percent of each core. The process's own {@code cpuWarning} comes from here alone:
 * telemetry recorders listen to the event rather than judge their own samples.
 */
public final class UsageMonitor {
    private static final Logger log = LoggerFactory.getLogger(UsageMonitor.class);
    private final ResidentMemory residentMemory = new ResidentMemory();
    private final Environment environment;
    private final double threshold;
    private final DoubleSupplier cpuPercent;
    private final IntSupplier cores;
    private volatile double lastCpuPercent;
    private volatile boolean warned;

    public UsageMonitor(Environment environment, double threshold) {
        this(environment, threshold, meter(), Runtime.getRuntime()::availableProcessors);
    }

    /**
     * @param cpuPercent reads this process's CPU in percent of one core since the previous read
     * @param cores      the cores the process may use now (a container's limit can change)
     */
    UsageMonitor(Environment environment, double threshold, DoubleSupplier cpuPercent, IntSupplier cores) {
        this.environment = environment;
        this.threshold = threshold;
        this.cpuPercent = cpuPercent;
        this.cores = cores;
    }

    private static DoubleSupplier meter() {
        CpuMeter meter = new CpuMeter();
        return () -> meter.read().percent();
    }

    /** Samples on {@code scheduler} from now on. */
    public void start(ScheduledExecutorService scheduler) {
        // the first sample needs a window of a few seconds, or start-up CPU reads as a false warning
        scheduler.scheduleAtFixedRate(this::sample, 5, 5, TimeUnit.SECONDS);
    }

    void sample() {
        try {
            double cpu = cpuPercent.getAsDouble();
            lastCpuPercent = cpu;
            long rss = residentMemory.bytes();
            environment.events().usageMonitor.fire(new Events.UsageMonitor(cpu, rss));
            double limit = threshold * cores.getAsInt();
            if (cpu > limit && !warned) {
                warned = true;
                Events.CpuWarning warning = Events.CpuWarning.of(cpu);
                log.warn(warning.message());
                environment.events().cpuWarning.fire(warning);
            }
        } catch (RuntimeException | LinkageError e) {
            log.debug("usage monitor failed: {}", e.toString());
        }
    }

    /** Lets the next test warn again. */
    public void rearmWarning() {
        warned = false;
    }

    /** CPU of this process in percent of one core, as last sampled. */
    public double cpuPercent() {
        return lastCpuPercent;
    }

    /** Resident memory of this process in bytes. */
    public long memoryBytes() {
        return residentMemory.bytes();
    }
}
