package io.locusttelemetry.engine;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ticks a runner's load shape once a second and applies each new tick: a user count
 * ({@link Runner#start}) or an open model's arrival rate ({@link Runner#startArrivals}, with the
 * environment's plan's shares and pools, else the classes' weights); a null tick ends the test.
 */
final class ShapeDriver {
    private static final Logger log = LoggerFactory.getLogger(AbstractRunner.class);

    private final AbstractRunner runner;
    private ScheduledFuture<?> task;
    private LoadTestShape.Tick lastTick;

    ShapeDriver(AbstractRunner runner) {
        this.runner = runner;
    }

    synchronized void start(ScheduledExecutorService scheduler) {
        LoadTestShape shape = runner.environment().shape();
        if (shape == null) {
            throw new IllegalStateException("no load shape");
        }
        shape.resetTime();
        lastTick = null;
        task = scheduler.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void tick() {
        Environment environment = runner.environment();
        try {
            LoadTestShape.Tick tick = environment.shape().tick();
            if (tick == null) {
                log.info("Shape test stopping");
                stop();
                runner.onShapeFinished();
                return;
            }
            if (tick.equals(lastTick)) {
                return;
            }
            lastTick = tick;
            if (tick.isArrivals()) {
                ArrivalPlan base = environment.arrivalPlan();
                ArrivalPlan plan = base != null ? base.withTotalRate(tick.arrivalRate())
                        : ArrivalPlan.byWeight(environment.userClasses(), tick.arrivalRate(), null, ArrivalDistribution.UNIFORM);
                log.info("Shape test updating to {} iterations per second", ArrivalPlan.formatRate(tick.arrivalRate()));
                runner.startArrivals(plan);
            } else {
                log.info("Shape test updating to {} users at {} spawn rate", tick.users(), tick.spawnRate());
                runner.start(tick.users(), tick.spawnRate());
            }
        } catch (RuntimeException e) {
            log.error("load shape failed: {}", e.toString(), e);
        }
    }
}
