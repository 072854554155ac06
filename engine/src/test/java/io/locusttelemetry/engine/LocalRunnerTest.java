package io.locusttelemetry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.stats.StatsHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalRunnerTest {

    /** Users alive (between onStart and onStop) and life-cycle counts, over all user classes below. */
    static final AtomicInteger alive = new AtomicInteger();
    static final AtomicInteger started = new AtomicInteger();
    static final AtomicInteger stopped = new AtomicInteger();

    /** A user that idles: one quick task, then a wait. */
    public static class Idle extends User {
        public Idle() {
            waitTime(constant(0.05));
        }

        @Override
        protected void onStart() {
            started.incrementAndGet();
            alive.incrementAndGet();
        }

        @Task
        void idle() {}

        @Override
        protected void onStop() {
            stopped.incrementAndGet();
            alive.decrementAndGet();
        }
    }

    @Weight(3)
    public static class Heavy extends Idle {}

    @Weight(1)
    public static class Light extends Idle {}

    @FixedCount(2)
    public static class Admin extends Idle {}

    private Environment env;
    private LocalRunner runner;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Integer> spawningCompletes = new CopyOnWriteArrayList<>();

    private static ConditionFactory within(double seconds) {
        return await().atMost(Duration.ofMillis((long) (seconds * 1000))).pollInterval(Duration.ofMillis(10));
    }

    @BeforeEach
    void resetCounters() {
        alive.set(0);
        started.set(0);
        stopped.set(0);
    }

    @AfterEach
    void quit() {
        if (runner != null) {
            runner.quit();
        }
    }

    @SafeVarargs
    private LocalRunner runner(Class<? extends User>... classes) {
        return runner(Environment.builder().userClasses(classes));
    }

    private LocalRunner runner(Environment.Builder builder) {
        env = builder.build();
        env.events().testStart.addListener(e -> events.add("test_start"));
        env.events().testStopping.addListener(e -> events.add("test_stopping:" + runner.userCount()));
        env.events().testStop.addListener(e -> events.add("test_stop"));
        env.events().spawningComplete.addListener(e -> spawningCompletes.add(e.userCount()));
        runner = env.createLocalRunner();
        return runner;
    }

    @Test
    void startReachesTheUserCountAndFiresEventsOnce() {
        runner(Idle.class).start(10, 100);

        within(5).until(() -> spawningCompletes.size() == 1);
        assertThat(spawningCompletes).containsExactly(10);
        assertThat(runner.userCount()).isEqualTo(10);
        assertThat(runner.targetUserCount()).isEqualTo(10);
        assertThat(runner.userClassesCount()).containsExactly(Map.entry("Idle", 10));
        assertThat(runner.state()).isEqualTo(RunnerState.RUNNING);
        assertThat(events).containsExactly("test_start");
        within(2).until(() -> started.get() == 10);
        assertThat(env.runner()).isSameAs(runner);
        assertThat(runner.role()).isEqualTo(Runner.Role.LOCAL);
    }

    @Test
    void rampHonoursTheSpawnRate() {
        long t0 = System.nanoTime();
        runner(Idle.class).start(20, 10);

        within(1.5).until(() -> (System.nanoTime() - t0) >= TimeUnit.MILLISECONDS.toNanos(1000));
        assertThat(runner.userCount()).as("about 10 users after 1 s at 10/s").isBetween(7, 15);
        assertThat(runner.state()).isEqualTo(RunnerState.SPAWNING);
        within(5).until(() -> spawningCompletes.size() == 1);
        double took = (System.nanoTime() - t0) / 1e9;
        assertThat(took).as("20 users at 10/s").isBetween(1.5, 3.5);
        assertThat(runner.userCount()).isEqualTo(20);
    }

    @Test
    void classWeightsAndFixedCounts() {
        runner(Heavy.class, Light.class).start(20, 1000);
        within(5).until(() -> spawningCompletes.size() == 1);
        assertThat(runner.userClassesCount()).containsExactly(Map.entry("Heavy", 15), Map.entry("Light", 5));
        runner.quit();

        spawningCompletes.clear();
        runner(Heavy.class, Light.class, Admin.class).start(20, 1000);
        within(5).until(() -> spawningCompletes.size() == 1);
        Map<String, Integer> counts = runner.userClassesCount();
        assertThat(counts.get("Admin")).isEqualTo(2);
        assertThat(counts.get("Heavy") + counts.get("Light")).isEqualTo(18);
        assertThat(counts.get("Heavy")).isBetween(13, 14);

        // fixed-count users come first
        runner.start(1, 1000);
        within(5).until(() -> spawningCompletes.size() == 2);
        assertThat(runner.userClassesCount()).containsExactly(
                Map.entry("Heavy", 0), Map.entry("Light", 0), Map.entry("Admin", 1));
    }

    @Test
    void startingWithFewerUsersRampsDown() {
        runner(Idle.class).start(10, 1000);
        within(5).until(() -> spawningCompletes.size() == 1);
        within(2).until(() -> alive.get() == 10);

        runner.start(4, 1000);
        within(5).until(() -> spawningCompletes.size() == 2);
        assertThat(spawningCompletes).containsExactly(10, 4);
        assertThat(runner.userCount()).isEqualTo(4);
        within(2).until(() -> alive.get() == 4);
        assertThat(stopped.get()).isEqualTo(6);
        assertThat(events).as("the running test goes on").containsExactly("test_start");

        runner.start(7, 1000);
        within(5).until(() -> spawningCompletes.size() == 3);
        within(2).until(() -> alive.get() == 7);
    }

    @Test
    void stopEndsEveryUserAndFiresStoppingThenStop() {
        runner(Idle.class).start(10, 1000);
        within(5).until(() -> spawningCompletes.size() == 1);
        within(2).until(() -> alive.get() == 10);

        runner.stop();

        assertThat(events).containsExactly("test_start", "test_stopping:10", "test_stop");
        assertThat(runner.userCount()).isZero();
        assertThat(runner.userClassesCount()).containsExactly(Map.entry("Idle", 0));
        assertThat(runner.state()).isEqualTo(RunnerState.STOPPED);
        assertThat(runner.targetUserCount()).isZero();
        assertThat(alive.get()).isZero();
        assertThat(stopped.get()).isEqualTo(10);

        runner.stop(); // already stopped: nothing more
        assertThat(events).hasSize(3);

        // and it can start again
        runner.start(2, 1000);
        within(5).until(() -> spawningCompletes.size() == 2);
        assertThat(events).endsWith("test_start");
        assertThat(runner.userCount()).isEqualTo(2);
    }

    static final AtomicInteger finishedTasks = new AtomicInteger();
    static volatile CountDownLatch taskStarted;

    /** A user whose task takes 400 ms. */
    public static class Slow extends Idle {
        @Task
        void slowTask() throws InterruptedException {
            taskStarted.countDown();
            Thread.sleep(400);
            finishedTasks.incrementAndGet();
        }
    }

    @Test
    void stopTimeoutLetsARunningTaskFinish() throws Exception {
        finishedTasks.set(0);
        taskStarted = new CountDownLatch(1);
        runner(Environment.builder().userClasses(Slow.class).stopTimeout(3)).start(1, 100);
        assertThat(taskStarted.await(5, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        runner.stop();
        double took = (System.nanoTime() - t0) / 1e9;

        assertThat(finishedTasks.get()).isEqualTo(1);
        assertThat(took).isBetween(0.1, 2.5);
        assertThat(runner.userCount()).isZero();
        assertThat(alive.get()).isZero();
    }

    @Test
    void withoutStopTimeoutARunningTaskIsInterrupted() throws Exception {
        finishedTasks.set(0);
        taskStarted = new CountDownLatch(1);
        runner(Slow.class).start(1, 100);
        assertThat(taskStarted.await(5, TimeUnit.SECONDS)).isTrue();
        List<Events.UserError> errors = new CopyOnWriteArrayList<>();
        env.events().userError.addListener(errors::add);

        long t0 = System.nanoTime();
        runner.stop();

        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(1.0);
        assertThat(finishedTasks.get()).isZero();
        assertThat(alive.get()).as("onStop still ran").isZero();
        assertThat(errors).as("being stopped is not an error").isEmpty();
    }

    /** Ends itself after three tasks. */
    public static class Quitter extends Idle {
        int runs;

        @Task
        void work() {
            if (++runs == 3) {
                throw new StopUser();
            }
        }
    }

    @Test
    void stopUserEndsOnlyThatUser() {
        runner(Quitter.class).start(3, 100);
        within(5).until(() -> stopped.get() == 3);
        within(2).until(() -> runner.userCount() == 0);
        assertThat(alive.get()).isZero();
        assertThat(runner.userClassesCount()).containsExactly(Map.entry("Quitter", 0));
        assertThat(runner.state()).as("the test itself goes on").isIn(RunnerState.SPAWNING, RunnerState.RUNNING);
        assertThat(events).containsExactly("test_start");
    }

    /** Fails every task. */
    public static class Crashy extends Idle {
        @Task
        void work() {
            throw new IllegalStateException("kaboom");
        }
    }

    @Test
    void taskExceptionsAreCollectedAndUsersKeepRunning() {
        runner(Crashy.class).start(2, 100);
        within(5).until(() -> !runner.exceptions().isEmpty() && runner.exceptions().get(0).count() >= 6);

        assertThat(runner.exceptions()).singleElement().satisfies(x -> {
            assertThat(x.message()).contains("kaboom");
            assertThat(x.traceback()).contains("Crashy.work");
            assertThat(x.nodes()).containsExactly("local");
        });
        assertThat(runner.userCount()).isEqualTo(2);
        assertThat(alive.get()).isEqualTo(2);

        // a new test starts with an empty table
        runner.stop();
        runner.start(1, 100);
        assertThat(runner.exceptions()).allSatisfy(x -> assertThat(x.count()).isLessThan(6));
    }

    /** Overflows its stack in one task and runs out of memory (a real one: an array past the VM's limit) in the other. */
    public static class Erring extends Idle {
        @Task
        void deep() {
            recurse(0);
        }

        private static int recurse(int depth) {
            return recurse(depth + 1) + 1;
        }

        @Task
        void huge() {
            long[] tooLarge = new long[Integer.MAX_VALUE];
            tooLarge[0] = 1;
        }
    }

    @Test
    void errorsOfTasksAreUserErrorsAndUsersKeepRunning() {
        runner(Erring.class).start(2, 100);
        // the same error may come with more than one traceback (interpreted, then compiled frames)
        within(10).until(() -> errorCount("java.lang.StackOverflowError") >= 3
                && errorCount("java.lang.OutOfMemoryError: Requested array size exceeds VM limit") >= 3);

        assertThat(runner.exceptions()).extracting(Runner.ExceptionRecord::message).allMatch(
                m -> m.equals("java.lang.StackOverflowError") || m.equals("java.lang.OutOfMemoryError: Requested array size exceeds VM limit"));
        assertThat(runner.exceptions()).filteredOn(x -> x.message().contains("OutOfMemoryError"))
                .anySatisfy(x -> assertThat(x.traceback()).contains("Erring.huge"));
        assertThat(runner.userCount()).isEqualTo(2);
        assertThat(alive.get()).isEqualTo(2);
    }

    private long errorCount(String message) {
        return runner.exceptions().stream().filter(x -> x.message().equals(message)).mapToLong(Runner.ExceptionRecord::count).sum();
    }

    /** Fails in onStart with an Error. */
    public static class FailingStart extends Idle {
        @Override
        protected void onStart() {
            super.onStart();
            throw new AssertionError("no login");
        }
    }

    @Test
    void anErrorInOnStartIsAUserErrorToo() {
        runner(FailingStart.class).start(1, 100);
        within(5).until(() -> !runner.exceptions().isEmpty());
        assertThat(runner.exceptions()).singleElement().satisfies(x -> assertThat(x.message()).contains("no login"));
    }

    /** Two steps, then the end. */
    static final class Steps extends LoadTestShape {
        final AtomicInteger ticks = new AtomicInteger();

        @Override
        public Tick tick() {
            int n = ticks.incrementAndGet();
            if (n == 1) {
                return users(2, 100);
            }
            if (n == 2) {
                return users(5, 100);
            }
            return null;
        }
    }

    @Test
    void loadShapeDrivesTheUserCountAndStopsTheTest() throws Exception {
        Steps shape = new Steps();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        runner(Environment.builder().userClasses(Idle.class).shape(shape));
        env.events().spawningComplete.addListener(e -> seen.add(e.userCount()));
        runner.startShape();

        runner.quitted().get(6, TimeUnit.SECONDS);

        assertThat(seen).containsExactly(2, 5);
        assertThat(shape.ticks.get()).isEqualTo(3);
        assertThat(events).containsExactly("test_start", "test_stopping:5", "test_stop");
        assertThat(runner.userCount()).isZero();
        assertThat(alive.get()).isZero();
    }

    @Test
    void customMessagesLoopBackLocally() {
        runner(Idle.class);
        List<CustomMessage> got = new CopyOnWriteArrayList<>();
        List<Environment> envs = new ArrayList<>();
        runner.registerMessage("greet", (environment, message) -> {
            envs.add(environment);
            got.add(message);
        });

        runner.sendMessage("greet", Map.of("text", "hello"));
        runner.sendMessage("greet", List.of(1L, 2L), "some-worker");
        runner.sendMessage("nobody-listens", "ignored");

        assertThat(got).extracting(CustomMessage::type).containsExactly("greet", "greet");
        assertThat(got).extracting(CustomMessage::data).containsExactly(Map.of("text", "hello"), List.of(1L, 2L));
        assertThat(got).extracting(CustomMessage::nodeId).containsOnly("local");
        assertThat(envs).containsOnly(env);
    }

    /** Several handlers of one type all run, in registration order, and one that throws does not stop the rest. */
    @Test
    void everyHandlerOfATypeRunsInOrderWhateverOneThrows() {
        runner(Idle.class);
        List<String> ran = new CopyOnWriteArrayList<>();
        runner.registerMessage("set_metadata", (e, m) -> ran.add("telemetry"));
        runner.registerMessage("set_metadata", (e, m) -> {
            ran.add("broken");
            throw new IllegalStateException("boom");
        });
        runner.registerMessage("set_metadata", (e, m) -> ran.add("locustfile " + m.data()));
        runner.sendMessage("set_metadata", "x");
        runner.sendMessage("set_metadata", "y");
        assertThat(ran).containsExactly("telemetry", "broken", "locustfile x", "telemetry", "broken", "locustfile y");
    }

    /** Reports a 25 ms request every 20 ms. */
    public static class Reporter extends Idle {
        public Reporter() {
            waitTime(constant(0.02));
        }

        @Task
        void call() {
            reportRequest("CUSTOM", "op", 25.0, 10, null);
        }
    }

    @Test
    void statsHistoryIsRecordedWhileRunning() {
        runner(Reporter.class).start(3, 100);
        within(4).until(() -> env.statsHistory().points().stream().anyMatch(p -> p.userCount() == 3 && p.totalRequests() > 0));

        StatsHistory.Point p = env.statsHistory().latest();
        assertThat(p.timestamp()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.api.Assertions.within(3L));
        assertThat(p.avgResponseTime()).isEqualTo(25.0);
        assertThat(p.minResponseTime()).isEqualTo(25.0);
        assertThat(p.maxResponseTime()).isEqualTo(25.0);
        assertThat(p.medianResponseTime()).isEqualTo(25.0);
        // the current percentiles need a window of earlier seconds (Locust reports 0 until it has one)
        assertThat(p.currentPercentile(0.95)).isIn(0L, 25L);
        assertThat(p.avgContentLength()).isEqualTo(10.0);
        assertThat(p.totalFailures()).isZero();

        // a new test starts a new history
        runner.stop();
        int before = env.statsHistory().points().size();
        assertThat(before).isPositive();
        runner.start(1, 100);
        assertThat(env.statsHistory().points()).hasSizeLessThan(before + 1);
        assertThat(env.stats().snapshot().total().numRequests()).isLessThan(50);
    }

    @Test
    void restartingOrStoppingDuringARampNeverLeavesExtraUsers() {
        runner(Idle.class);
        for (int round = 0; round < 3; round++) {
            spawningCompletes.clear();
            runner.start(300, 20_000);
            runner.start(5, 20_000);
            within(5).until(() -> spawningCompletes.contains(5));
            within(3).until(() -> alive.get() == 5);
            assertThat(runner.userCount()).isEqualTo(5);

            runner.start(300, 20_000);
            runner.stop();
            assertThat(runner.userCount()).isZero();
            within(3).until(() -> alive.get() == 0);

            runner.start(300, 20_000);
            runner.start(200, 20_000);
            runner.stop();
            assertThat(runner.userCount()).isZero();
            within(3).until(() -> alive.get() == 0);
        }
        assertThat(started.get()).isEqualTo(stopped.get());
    }
}
