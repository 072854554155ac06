package io.locusttelemetry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.IterationSnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The open model on a local runner: rates, pools, drops, the time from the intended start, pacing. */
class OpenModelTest {
    static final AtomicInteger constructed = new AtomicInteger();
    static final AtomicInteger onStops = new AtomicInteger();
    static volatile long sleepMillis;

    /** One request per task, taking {@link #sleepMillis}. */
    public static class Sleeper extends User {
        public Sleeper() {
            constructed.incrementAndGet();
        }

        @Task
        void work() throws Exception {
            measure("task", "work", () -> {
                Thread.sleep(sleepMillis);
                return null;
            });
        }

        @Override
        protected void onStop() {
            onStops.incrementAndGet();
        }
    }

    @Weight(3)
    public static class Heavy extends Sleeper {}

    @Weight(1)
    public static class Light extends Sleeper {}

    @ArrivalRate(perSecond = 40, maxUsers = 7)
    public static class Annotated extends Sleeper {}

    @ArrivalRate(perSecond = 0)
    public static class ZeroRate extends Sleeper {}

    public static class Waits extends Sleeper {
        public Waits() {
            waitTime(constant(1));
        }
    }

    /** A closed user paced to a task every 100 ms, whose tasks sometimes overrun it. */
    public static class Paced extends User {
        static final List<Double> intended = new CopyOnWriteArrayList<>();
        int n;

        public Paced() {
            waitTime(constantPacing(0.1));
        }

        @Task
        void work() throws Exception {
            long sleep = n++ == 2 ? 350 : 10;
            measure("task", "paced", () -> {
                Thread.sleep(sleep);
                return null;
            });
        }
    }

    private Environment env;
    private LocalRunner runner;

    private LocalRunner runner(Class<? extends User>... classes) {
        env = Environment.builder().userClasses(classes).build();
        runner = env.createLocalRunner();
        return runner;
    }

    @AfterEach
    void quit() {
        if (runner != null) {
            runner.quit();
        }
        sleepMillis = 0;
    }

    @Test
    void startsIterationsAtTheRateWhateverTheirDuration() throws Exception {
        sleepMillis = 50;
        runner(Sleeper.class).startArrivals(ArrivalPlan.byWeight(env.userClasses(), 200, 100, ArrivalDistribution.UNIFORM));
        Thread.sleep(300);
        long before = env.stats().iterations().snapshot().total().started();
        long t0 = System.nanoTime();
        Thread.sleep(2000);
        long started = env.stats().iterations().snapshot().total().started() - before;
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(started / seconds).isBetween(180.0, 220.0);
        // 200/s of 50 ms tasks need about 10 users at once, not one per iteration
        assertThat(runner.userCount()).isBetween(5, 30);
        assertThat(constructed.get()).isLessThan(40);
        assertThat(env.stats().iterations().snapshot().total().dropped()).isZero();
        EntrySnapshot total = env.stats().snapshot().total();
        assertThat(total.intended().count()).isGreaterThan(300);
        assertThat(total.intended().median()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void dropsAndCountsWhatAFullPoolCannotStart() throws Exception {
        sleepMillis = 500;
        runner(Sleeper.class).startArrivals(ArrivalPlan.byWeight(env.userClasses(), 100, 5, ArrivalDistribution.UNIFORM));
        Thread.sleep(2000);
        IterationSnapshot.Counts counts = env.stats().iterations().snapshot().total();
        // 5 users of 500 ms tasks start 10 a second; the other ~90 a second are dropped, never queued
        assertThat(runner.userCount()).isEqualTo(5);
        assertThat(counts.started()).isBetween(15L, 30L);
        assertThat(counts.dropped()).isBetween(140L, 210L);
        assertThat(counts.scheduled()).isBetween(180L, 215L);
    }

    @Test
    void dropsFireOneEventWhenDroppingStarts() throws Exception {
        sleepMillis = 1000;
        List<Events.IterationsDropped> events = new CopyOnWriteArrayList<>();
        runner(Sleeper.class);
        env.events().iterationsDropped.addListener(events::add);
        runner.startArrivals(ArrivalPlan.byWeight(env.userClasses(), 50, 2, ArrivalDistribution.UNIFORM));
        await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
        Thread.sleep(2500);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).userClass()).isEqualTo("Sleeper");
        assertThat(events.get(0).maxUsers()).isEqualTo(2);
        assertThat(events.get(0).dropped()).isPositive();
    }

    @Test
    void classesShareTheRateByWeight() throws Exception {
        runner(Heavy.class, Light.class).startArrivals(ArrivalPlan.byWeight(env.userClasses(), 200, null, ArrivalDistribution.POISSON));
        Thread.sleep(3000);
        Map<String, IterationSnapshot.Counts> byClass = env.stats().iterations().snapshot().byClass();
        double heavy = byClass.get("Heavy").started();
        double light = byClass.get("Light").started();
        assertThat(heavy / (heavy + light)).isBetween(0.65, 0.85);
        assertThat(heavy + light).isBetween(450.0, 750.0);
    }

    @Test
    void aNewPlanRetunesTheRateAndShrinksThePool() throws Exception {
        sleepMillis = 100;
        runner(Sleeper.class).startArrivals(ArrivalPlan.byWeight(env.userClasses(), 100, 50, ArrivalDistribution.UNIFORM));
        Thread.sleep(1000);
        assertThat(runner.userCount()).isGreaterThan(5);
        runner.startArrivals(ArrivalPlan.byWeight(env.userClasses(), 10, 2, ArrivalDistribution.UNIFORM));
        await().atMost(Duration.ofSeconds(3)).until(() -> runner.userCount() <= 2);
        long before = env.stats().iterations().snapshot().total().started();
        Thread.sleep(2000);
        long started = env.stats().iterations().snapshot().total().started() - before;
        assertThat(started).isBetween(15L, 25L);
        runner.startArrivals(ArrivalPlan.byWeight(env.userClasses(), 0, 2, ArrivalDistribution.UNIFORM));
        Thread.sleep(200);
        before = env.stats().iterations().snapshot().total().started();
        Thread.sleep(1000);
        assertThat(env.stats().iterations().snapshot().total().started() - before).isZero();
    }

    /**
     * A stop can meet an iteration the schedule has just handed out (to a free user, or to one it is
     * still making): that iteration does not run, so it is not counted started either. With a stop
     * timeout, started is exactly the tasks run, whenever the stop falls.
     */
    @Test
    void everyStartedIterationRanItsTaskWheneverTheStopFalls() throws Exception {
        for (int round = 0; round < 25; round++) {
            sleepMillis = round % 2 == 0 ? 0 : 100;
            runner(Sleeper.class);
            env.stopTimeout(5); // a graceful stop, as --stop-timeout gives: a begun iteration finishes
            runner.startArrivals(ArrivalPlan.byWeight(env.userClasses(), 5000, 2000, ArrivalDistribution.UNIFORM));
            Thread.sleep(40 + round * 7 % 60);
            runner.stop();
            long started = env.stats().iterations().snapshot().total().started();
            long ran = env.stats().snapshot().total().numRequests();
            assertThat(started).as("round %d", round).isEqualTo(ran).isPositive();
            runner.quit();
            runner = null;
        }
    }

    @Test
    void stopEndsEveryUserAndTheSchedule() throws Exception {
        sleepMillis = 20;
        runner(Sleeper.class).startArrivals(ArrivalPlan.byWeight(env.userClasses(), 300, 100, ArrivalDistribution.UNIFORM));
        Thread.sleep(1000);
        int users = runner.userCount();
        int stopsBefore = onStops.get();
        runner.stop();
        assertThat(runner.userCount()).isZero();
        assertThat(onStops.get() - stopsBefore).isEqualTo(users);
        long started = env.stats().iterations().snapshot().total().started();
        Thread.sleep(300);
        assertThat(env.stats().iterations().snapshot().total().started()).isEqualTo(started);
        assertThat(runner.arrivalPlan()).isNull();
    }

    @Test
    void annotationsGiveEachClassItsRateAndPool() {
        runner(Annotated.class);
        ArrivalPlan plan = ArrivalPlan.resolve(env.userClasses(), null, null, ArrivalDistribution.UNIFORM);
        assertThat(plan.perSecond("Annotated")).isEqualTo(40);
        assertThat(plan.maxUsers("Annotated")).isEqualTo(7);
        ArrivalPlan overridden = ArrivalPlan.resolve(env.userClasses(), 10.0, 3, ArrivalDistribution.UNIFORM);
        assertThat(overridden.perSecond("Annotated")).isEqualTo(10);
        assertThat(overridden.maxUsers("Annotated")).isEqualTo(3);
        assertThat(ArrivalPlan.resolve(List.of(Sleeper.class), null, null, ArrivalDistribution.UNIFORM)).isNull();
        assertThatThrownBy(() -> ArrivalPlan.resolve(List.of(Annotated.class, Sleeper.class), null, null, ArrivalDistribution.UNIFORM))
                .hasMessageContaining("Sleeper has no @ArrivalRate");
        assertThatThrownBy(() -> ArrivalPlan.resolve(List.of(ZeroRate.class), null, null, ArrivalDistribution.UNIFORM))
                .hasMessageContaining("Invalid @ArrivalRate(perSecond = 0.0) on ZeroRate");
        assertThatThrownBy(() -> ArrivalPlan.resolve(List.of(Heavy.class, Light.class), 10.0, 1, ArrivalDistribution.UNIFORM))
                .hasMessageContaining("--max-users 1 is fewer than the 2 user classes");
        ArrivalPlan shared = ArrivalPlan.resolve(List.of(Heavy.class, Light.class), 100.0, 10, ArrivalDistribution.UNIFORM);
        assertThat(shared.perSecond("Heavy")).isEqualTo(75);
        assertThat(shared.maxUsers()).containsEntry("Heavy", 7).containsEntry("Light", 3);
    }

    @Test
    void waitTimesAreIgnored() throws Exception {
        runner(Waits.class).startArrivals(ArrivalPlan.byWeight(env.userClasses(), 50, 10, ArrivalDistribution.UNIFORM));
        Thread.sleep(2000);
        // with its 1 s wait honoured, 10 users could start at most 20 in 2 s
        assertThat(env.stats().iterations().snapshot().total().started()).isGreaterThan(80);
        assertThat(runner.userCount()).isLessThanOrEqualTo(3);
    }

    @Test
    void pacedUsersMeasureFromTheScheduledStart() throws Exception {
        runner(Paced.class).start(1, 10);
        Thread.sleep(1500);
        runner.stop();
        StatsSnapshot stats = env.stats().snapshot();
        EntrySnapshot paced = stats.entries().get(0);
        assertThat(paced.intended().count()).isEqualTo(paced.numRequests());
        // one task took 350 ms; the one after it was due 250 ms before it could start, so two are slow from the schedule
        assertThat(paced.responseTimes().tailMap(200L).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
        assertThat(paced.intended().asMap().tailMap(200L).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
        assertThat(paced.maxResponseTime()).isBetween(340.0, 500.0);
        assertThat(paced.intended().percentile(0.5)).isLessThan(40);
        assertThat(stats.iterations().isEmpty()).isTrue();
    }
}
