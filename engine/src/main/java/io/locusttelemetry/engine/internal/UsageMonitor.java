package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.process.CpuMeter;
import io.locusttelemetry.engine.process.ResidentMemory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner's own CPU and memory, as Locust's runners watch theirs: sampled every 5 s into the
 * {@code usageMonitor} event, with Locust's one-off warning when the process uses more than
 * {@code threshold} percent of each core.
 */
public final class UsageMonitor {
    private static final Logger log = LoggerFactory.getLogger(UsageMonitor.class);
    private final CpuMeter cpuMeter = new CpuMeter();
    private final ResidentMemory residentMemory = new ResidentMemory();
    private final Environment environment;
    private final double threshold;
    private volatile boolean warned;

    public UsageMonitor(Environment environment, double threshold) {
        this.environment = environment;
        this.threshold = threshold;
    }

    /** Samples on {@code scheduler} from now on. */
    public void start(ScheduledExecutorService scheduler) {
        // the first sample needs a window of a few seconds, or start-up CPU reads as a false warning
        scheduler.scheduleAtFixedRate(this::sample, 5, 5, TimeUnit.SECONDS);
    }

    private void sample() {
        try {
            double cpu = cpuMeter.read().percent();
            long rss = residentMemory.bytes();
            environment.events().usageMonitor.fire(new Events.UsageMonitor(cpu, rss));
            double limit = threshold * Runtime.getRuntime().availableProcessors();
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
        return cpuMeter.last().percent();
    }

    /** Resident memory of this process in bytes. */
    public long memoryBytes() {
        return residentMemory.bytes();
    }
}
