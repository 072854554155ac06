package io.locusttelemetry.telemetry.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.SchedulingLag;
import io.locusttelemetry.engine.stats.RequestStats;
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
 * long GC paused the JVM. A second in which either is above the threshold is saturated. Two in a
 * row start an episode (one alone is a hiccup: the JIT at start, a single collection): its seconds
 * are marked in the stats history (the HTML report shades them) and its start fires
 * {@code events.generatorSaturation} (saturated) with a console warning; the episode clears after
 * {@link #CLEAR_AFTER_HEALTHY_SECONDS} healthy seconds in a row, or at test stop, with a second
 * event carrying the counts. So a run that saturates for a minute says so twice, not sixty times.
 */
public final class GeneratorMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GeneratorMonitor.class);
    /** Healthy seconds in a row that end an episode. */
    public static final int CLEAR_AFTER_HEALTHY_SECONDS = 3;

    private final Environment env;
    private final ScheduledExecutorService scheduler;
    private final double thresholdMillis;
    private final Consumer<Environment> onTestStart = e -> start();
    private final Consumer<Environment> onTestStop = e -> stop();
    private final GcPauses gc = new GcPauses();
    private SchedulingLag.Reader lag;
    private ScheduledFuture<?> task;
    private boolean inEpisode;
    private int saturatedSeconds;
    /** The previous second, when it was saturated outside an episode (0 otherwise). */
    private long candidateSecond;
    private double candidateLag;
    private double candidateGc;
    private int healthyStreak;
    private double worstLag;
    private double worstGc;

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
        task = scheduler.scheduleAtFixedRate(this::check, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        if (inEpisode) {
            clear();
        }
    }

    private synchronized void check() {
        try {
            if (task == null) {
                return;
            }
            SchedulingLag.Interval l = lag.next();
            double pause = gc.next();
            check(l.wakeUps() > 0 ? l.p99Millis() : 0, pause);
        } catch (RuntimeException | LinkageError e) {
            log.debug("generator health check failed: {}", e.toString());
        }
    }

    /** One second's readings. */
    synchronized void check(double lagP99Millis, double gcPauseMillis) {
        boolean saturated = lagP99Millis > thresholdMillis || gcPauseMillis > thresholdMillis;
        long second = RequestStats.nowMicros() / 1_000_000;
        if (!saturated) {
            candidateSecond = 0;
            if (inEpisode && ++healthyStreak >= CLEAR_AFTER_HEALTHY_SECONDS) {
                clear();
            }
            return;
        }
        if (!inEpisode && candidateSecond == 0) {
            candidateSecond = second;
            candidateLag = lagP99Millis;
            candidateGc = gcPauseMillis;
            return;
        }
        if (!inEpisode) {
            env.statsHistory().markGeneratorSaturated(candidateSecond);
            saturatedSeconds++;
            worstLag = candidateLag;
            worstGc = candidateGc;
            candidateSecond = 0;
        }
        env.statsHistory().markGeneratorSaturated(second);
        healthyStreak = 0;
        saturatedSeconds++;
        worstLag = Math.max(worstLag, lagP99Millis);
        worstGc = Math.max(worstGc, gcPauseMillis);
        if (!inEpisode) {
            inEpisode = true;
            log.warn(String.format(Locale.ROOT, "The load generator is saturated: for 2 s users woke up to %.1f ms late (p99) and GC"
                    + " paused up to %.1f ms a second (threshold %.0f ms); response times now measure this process rather than the"
                    + " system under test: add workers, or fewer users per process", worstLag, worstGc, thresholdMillis));
            fire(true);
        }
    }

    private void clear() {
        log.info(String.format(Locale.ROOT, "The load generator is no longer saturated (%d saturated seconds, worst lag p99 %.1f ms,"
                + " worst GC pause time %.1f ms in a second)", saturatedSeconds, worstLag, worstGc));
        fire(false);
        inEpisode = false;
        saturatedSeconds = 0;
        healthyStreak = 0;
        candidateSecond = 0;
        worstLag = 0;
        worstGc = 0;
    }

    private void fire(boolean saturated) {
        env.events().generatorSaturation.fire(new Events.GeneratorSaturation(saturated, worstLag, worstGc, thresholdMillis,
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
