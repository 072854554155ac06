package io.locusttelemetry.telemetry.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.SchedulingLag;
import io.locusttelemetry.engine.stats.RequestStats;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches whether this process's numbers measure the system under test or the generator itself:
 * once a second while a test runs it reads how late users woke ({@link SchedulingLag}, p99) and how
 * long GC paused the JVM. A second in which either is above the threshold is saturated, except a
 * lag second in which most users woke on time (p50 under a millisecond, the wait timer's own
 * precision) while the process used less than half its cores: the late few were held up by other
 * processes on the machine, not by this generator's work (the {@code lag} records still show them).
 *
 * <p>Two saturated seconds in a row start an episode (one alone is a hiccup: the JIT at start, a
 * single collection): its seconds are marked in the stats history (the HTML report shades them) and
 * its start fires {@code events.generatorSaturation} with a console warning; the episode clears
 * after {@link #CLEAR_AFTER_HEALTHY_SECONDS} healthy seconds in a row, or at test stop, with a
 * second event carrying the counts. So a run that saturates for a minute says so twice, not sixty times.
 */
public final class GeneratorMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GeneratorMonitor.class);
    /** Healthy seconds in a row that end an episode. */
    public static final int CLEAR_AFTER_HEALTHY_SECONDS = 3;
    /** A lag second whose median wake-up is under this is the machine's doing when the process has spare cores. */
    static final double ON_TIME_MEDIAN_MILLIS = 1.0;
    static final double SPARE_CPU_UTILIZATION = 0.5;

    private final Environment env;
    private final ScheduledExecutorService scheduler;
    private final double thresholdMillis;
    private final Consumer<Environment> onTestStart = e -> start();
    private final Consumer<Environment> onTestStop = e -> stop();
    private final GcPauses gc = new GcPauses();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private SchedulingLag.Reader lag;
    private ScheduledFuture<?> task;
    private long cpuAt;
    private long cpuNanos;
    private boolean inEpisode;
    private Second candidate;
    private int saturatedSeconds;
    private int healthyStreak;
    private boolean lagCause;
    private boolean gcCause;
    private double worstLag;
    private double worstGc;
    private double worstCpu;

    /** One second's readings. */
    record Second(long unixSecond, double lagP50Millis, double lagP99Millis, double gcPauseMillis, double cpuUtilization) {}

    public GeneratorMonitor(Environment env, ScheduledExecutorService scheduler, Duration threshold) {
        this.env = env;
        this.scheduler = scheduler;
        this.thresholdMillis = threshold.toNanos() / 1e6;
        env.events().testStart.addListener(onTestStart);
        env.events().testStop.addListener(onTestStop);
    }

    private synchronized void start() {
        if (task != null) {
            return;
        }
        lag = SchedulingLag.reader();
        gc.next();
        cpuAt = System.nanoTime();
        cpuNanos = os.getProcessCpuTime();
        task = scheduler.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (inEpisode) {
            clear();
        }
        candidate = null;
    }

    private synchronized void tick() {
        try {
            if (task == null) {
                return;
            }
            SchedulingLag.Interval l = lag.next();
            long now = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            double utilization = cpu < 0 || now <= cpuAt ? 0
                    : (double) (cpu - cpuNanos) / ((now - cpuAt) * (double) Math.max(1, Runtime.getRuntime().availableProcessors()));
            cpuAt = now;
            cpuNanos = cpu;
            check(new Second(RequestStats.nowMicros() / 1_000_000, l.p50Millis(), l.wakeUps() > 0 ? l.p99Millis() : 0, gc.next(),
                    Math.min(1, utilization)));
        } catch (RuntimeException | LinkageError e) {
            log.debug("generator health check failed: {}", e.toString());
        }
    }

    /** Whether users woke late because of this process (not only a late few while it had spare cores). */
    boolean lagSaturated(Second s) {
        return s.lagP99Millis() > thresholdMillis
                && !(s.lagP50Millis() < ON_TIME_MEDIAN_MILLIS && s.cpuUtilization() < SPARE_CPU_UTILIZATION);
    }

    synchronized void check(Second s) {
        boolean byLag = lagSaturated(s);
        boolean byGc = s.gcPauseMillis() > thresholdMillis;
        if (!byLag && !byGc) {
            candidate = null;
            if (inEpisode && ++healthyStreak >= CLEAR_AFTER_HEALTHY_SECONDS) {
                clear();
            }
            return;
        }
        if (!inEpisode && candidate == null) {
            candidate = s;
            return;
        }
        if (!inEpisode) {
            count(candidate, lagSaturated(candidate), candidate.gcPauseMillis() > thresholdMillis);
            candidate = null;
        }
        count(s, byLag, byGc);
        healthyStreak = 0;
        if (!inEpisode) {
            inEpisode = true;
            log.warn(String.format(Locale.ROOT, "The load generator is saturated: %s for 2 s, over the %.0f ms threshold, with the process"
                    + " at %.0f%% of its cores; response times now measure this process rather than the system under test: add workers,"
                    + " or fewer users per process", describe(), thresholdMillis, worstCpu * 100));
            fire(true);
        }
    }

    private void count(Second s, boolean byLag, boolean byGc) {
        env.statsHistory().markGeneratorSaturated(s.unixSecond());
        saturatedSeconds++;
        lagCause |= byLag;
        gcCause |= byGc;
        worstLag = Math.max(worstLag, s.lagP99Millis());
        worstGc = Math.max(worstGc, s.gcPauseMillis());
        worstCpu = Math.max(worstCpu, s.cpuUtilization());
    }

    private String describe() {
        String lagText = String.format(Locale.ROOT, "users woke up to %.1f ms late (p99)", worstLag);
        String gcText = String.format(Locale.ROOT, "GC paused it up to %.1f ms a second", worstGc);
        return lagCause && gcCause ? lagText + " and " + gcText : lagCause ? lagText : gcText;
    }

    private void clear() {
        log.info(String.format(Locale.ROOT, "The load generator is no longer saturated (%d saturated seconds: %s)", saturatedSeconds,
                describe()));
        fire(false);
        inEpisode = false;
        saturatedSeconds = 0;
        healthyStreak = 0;
        lagCause = false;
        gcCause = false;
        worstLag = 0;
        worstGc = 0;
        worstCpu = 0;
    }

    private void fire(boolean saturated) {
        String cause = lagCause && gcCause ? "lag,gc" : lagCause ? "lag" : "gc";
        env.events().generatorSaturation.fire(new Events.GeneratorSaturation(saturated, cause, worstLag, worstGc, worstCpu, thresholdMillis,
                saturatedSeconds, System.currentTimeMillis()));
    }

    /** Stops watching; an episode still open ends with its clearing event. */
    @Override
    public void close() {
        stop();
        env.events().testStart.removeListener(onTestStart);
        env.events().testStop.removeListener(onTestStop);
    }
}
