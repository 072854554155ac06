package io.locusttelemetry.engine;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a runner's user count from the environment's {@link LoadTestShape}: a tick a second, a
 * new target whenever the shape's answer changes, and the end when it answers null.
 */
final class ShapeDriver {
    private static final Logger log = LoggerFactory.getLogger(ShapeDriver.class);

    /** Starts (or changes) the test to the shape's users and spawn rate. */
    interface Start {
        void start(int users, double spawnRate);
    }

    private final Environment environment;
    private final ScheduledExecutorService scheduler;
    private final Start start;
    /** Runs when the shape's tick returned null: the test ends. */
    private final Runnable finished;
    private ScheduledFuture<?> task;
    private LoadTestShape.Tick lastTick;

    ShapeDriver(Environment environment, ScheduledExecutorService scheduler, Start start, Runnable finished) {
        this.environment = environment;
        this.scheduler = scheduler;
        this.start = start;
        this.finished = finished;
    }

    synchronized void start() {
        LoadTestShape shape = environment.shape();
        if (shape == null) {
            throw new IllegalStateException("no load shape");
        }
        stop();
        shape.resetTime();
        lastTick = null;
        task = scheduler.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void tick() {
        try {
            LoadTestShape.Tick tick = environment.shape().tick();
            if (tick == null) {
                log.info("Shape test stopping");
                stop();
                finished.run();
                return;
            }
            if (!tick.equals(lastTick)) {
                lastTick = tick;
                log.info("Shape test updating to {} users at {} spawn rate", tick.users(), tick.spawnRate());
                start.start(tick.users(), tick.spawnRate());
            }
        } catch (RuntimeException e) {
            log.error("load shape failed: {}", e.toString(), e);
        }
    }
}
