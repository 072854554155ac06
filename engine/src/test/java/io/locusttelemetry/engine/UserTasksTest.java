package io.locusttelemetry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.locusttelemetry.engine.internal.TaskModel;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Users and tasks as a locustfile author sees them; each user runs on the test's thread until it stops itself. */
class UserTasksTest {

    private static <U extends User> U run(Class<U> type) {
        return run(type, Environment.builder().userClasses(type).build());
    }

    private static <U extends User> U run(Class<U> type, Environment env) {
        try {
            U user = type.getDeclaredConstructor().newInstance();
            user.attach(env, "http://127.0.0.1:1", TaskModel.of(type, env.tags(), env.excludeTags()));
            user.run();
            return user;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- weights ---------------------------------------------------------------------------

    public static class Weighted extends User {
        final Map<String, Integer> counts = new HashMap<>();
        int total;

        @Task(1)
        void one() {
            hit("one");
        }

        @Task(3)
        void three() {
            hit("three");
        }

        @Task(6)
        void six() {
            hit("six");
        }

        void hit(String task) {
            counts.merge(task, 1, Integer::sum);
            if (++total == 20_000) {
                throw new StopUser();
            }
        }
    }

    @Test
    void tasksArePickedInProportionToTheirWeights() {
        Weighted user = run(Weighted.class);
        assertThat(user.total).isEqualTo(20_000);
        assertThat(user.counts.get("one")).isBetween(1_600, 2_400);     // expected 2 000
        assertThat(user.counts.get("three")).isBetween(5_400, 6_600);   // expected 6 000
        assertThat(user.counts.get("six")).isBetween(11_200, 12_800);   // expected 12 000
    }

    // ---- tags --------------------------------------------------------------------------------

    public static class Tagged extends User {
        final Set<String> ran = new java.util.TreeSet<>();
        int total;

        @Task
        @Tag("a")
        void onlyA() {
            hit("onlyA");
        }

        @Task
        @Tag({"a", "b"})
        void aAndB() {
            hit("aAndB");
        }

        @Task
        @Tag("b")
        void onlyB() {
            hit("onlyB");
        }

        @Task
        void untagged() {
            hit("untagged");
        }

        @Tag("c")
        @Task
        public class NestedC extends TaskSet {
            @Task
            void inner() {
                hit("NestedC.inner");
                interrupt();
            }
        }

        void hit(String task) {
            ran.add(task);
            if (++total == 400) {
                throw new StopUser();
            }
        }
    }

    private static Set<String> tasksRun(Set<String> tags, Set<String> excludeTags) {
        Environment env = Environment.builder().userClasses(Tagged.class).tags(tags).excludeTags(excludeTags).build();
        return run(Tagged.class, env).ran;
    }

    @Test
    void tagsAndExcludeTagsSelectTasks() {
        assertThat(tasksRun(null, null)).containsExactly("NestedC.inner", "aAndB", "onlyA", "onlyB", "untagged");
        assertThat(tasksRun(Set.of("a"), null)).containsExactly("aAndB", "onlyA");
        assertThat(tasksRun(null, Set.of("b"))).containsExactly("NestedC.inner", "onlyA", "untagged");
        assertThat(tasksRun(Set.of("a"), Set.of("b"))).containsExactly("onlyA");
        // a tag on a task set class applies to its tasks
        assertThat(tasksRun(Set.of("c"), null)).containsExactly("NestedC.inner");
        assertThat(tasksRun(Set.of("b", "c"), null)).containsExactly("NestedC.inner", "aAndB", "onlyB");
    }

    @Test
    void noTaskLeftAfterFilteringIsAUserError() {
        Environment env = Environment.builder().userClasses(Tagged.class).tags(Set.of("nothing-has-this")).build();
        List<Events.UserError> errors = new CopyOnWriteArrayList<>();
        env.events().userError.addListener(errors::add);
        run(Tagged.class, env);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.exception()).hasMessageContaining("has no tasks"));
    }

    // ---- nested task sets --------------------------------------------------------------------

    public static class Shopper extends User {
        final List<String> log = new ArrayList<>();
        int parentPicks;

        @Task(1)
        void browse() {
            pick();
            log.add("browse");
        }

        @Task(3)
        public class Shop extends TaskSet {
            int looks;

            @Override
            protected void onStart() {
                pick();
                log.add("shop.start");
            }

            @Task
            void look() {
                log.add("look");
                if (++looks == 3) {
                    interrupt();
                }
            }

            @Override
            protected void onStop() {
                log.add("shop.stop");
            }
        }

        void pick() {
            if (++parentPicks > 2_000) {
                throw new StopUser();
            }
        }
    }

    @Test
    void nestedTaskSetRunsUntilInterruptedThenReturnsToItsParent() {
        Shopper user = run(Shopper.class);
        List<String> log = user.log;
        int shops = 0;
        int browses = 0;
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).equals("browse")) {
                browses++;
            } else {
                assertThat(log.get(i)).isEqualTo("shop.start");
                assertThat(log.subList(i, i + 5)).containsExactly("shop.start", "look", "look", "look", "shop.stop");
                shops++;
                i += 4;
            }
        }
        assertThat(shops + browses).isEqualTo(2_000);
        assertThat(shops / 2_000.0).as("share of the task set with weight 3 of 4").isBetween(0.70, 0.80);
    }

    public static class StoppedInside extends User {
        final List<String> log = new ArrayList<>();

        @Task
        public class Inner extends TaskSet {
            int runs;

            @Override
            protected void onStart() {
                log.add("inner.start");
            }

            @Task
            void work() {
                log.add("work");
                if (++runs == 2) {
                    throw new StopUser();
                }
            }

            @Override
            protected void onStop() {
                log.add("inner.stop");
            }
        }

        @Override
        protected void onStart() {
            log.add("user.start");
        }

        @Override
        protected void onStop() {
            log.add("user.stop");
        }
    }

    @Test
    void stoppingInsideANestedTaskSetStopsItThenTheUser() {
        assertThat(run(StoppedInside.class).log)
                .containsExactly("user.start", "inner.start", "work", "work", "inner.stop", "user.stop");
    }

    /** Many nested task sets: building the model must not trip over its own cache. */
    public static class ManyNested extends User {
        final Map<String, Integer> counts = new HashMap<>();
        int total;

        void hit(String name) {
            counts.merge(name, 1, Integer::sum);
            if (++total == 3_200) {
                throw new StopUser();
            }
        }

        @Task public class S01 extends TaskSet { @Task void t() { hit("S01"); interrupt(); } }
        @Task public class S02 extends TaskSet { @Task void t() { hit("S02"); interrupt(); } }
        @Task public class S03 extends TaskSet { @Task void t() { hit("S03"); interrupt(); } }
        @Task public class S04 extends TaskSet { @Task void t() { hit("S04"); interrupt(); } }
        @Task public class S05 extends TaskSet { @Task void t() { hit("S05"); interrupt(); } }
        @Task public class S06 extends TaskSet { @Task void t() { hit("S06"); interrupt(); } }
        @Task public class S07 extends TaskSet { @Task void t() { hit("S07"); interrupt(); } }
        @Task public class S08 extends TaskSet { @Task void t() { hit("S08"); interrupt(); } }
        @Task public class S09 extends TaskSet { @Task void t() { hit("S09"); interrupt(); } }
        @Task public class S10 extends TaskSet { @Task void t() { hit("S10"); interrupt(); } }
        @Task public class S11 extends TaskSet { @Task void t() { hit("S11"); interrupt(); } }
        @Task public class S12 extends TaskSet { @Task void t() { hit("S12"); interrupt(); } }
        @Task public class S13 extends TaskSet { @Task void t() { hit("S13"); interrupt(); } }
        @Task public class S14 extends TaskSet { @Task void t() { hit("S14"); interrupt(); } }
        @Task public class S15 extends TaskSet { @Task void t() { hit("S15"); interrupt(); } }
        @Task public class S16 extends TaskSet { @Task void t() { hit("S16"); interrupt(); } }
    }

    @Test
    void aUserWithManyNestedTaskSets() {
        for (int i = 0; i < 5; i++) {
            // fresh filter sets give fresh cache keys, so the model is built each time
            Environment env = Environment.builder().userClasses(ManyNested.class).excludeTags(Set.of("x" + i)).build();
            ManyNested user = run(ManyNested.class, env);
            assertThat(user.counts).hasSize(16);
            assertThat(user.counts.values()).allSatisfy(n -> assertThat(n).isBetween(100, 300));
        }
    }

    // ---- sequential task sets ----------------------------------------------------------------

    public static class Checkout extends User {
        final List<String> log = new ArrayList<>();

        @Task
        public class Flow extends SequentialTaskSet {
            int mids;

            @Task(2)
            void zeta() {
                step("zeta");
            }

            @Task
            void alpha() {
                step("alpha");
            }

            @Task(3)
            void mid() {
                step("mid");
                if (++mids == 6) {
                    interrupt();
                }
            }
        }

        void step(String name) {
            log.add(name);
            if (log.size() == 24) {
                throw new StopUser();
            }
        }
    }

    @Test
    void sequentialTaskSetRunsInDeclarationOrderWithWeightsAsRepeats() {
        List<String> once = List.of("zeta", "zeta", "alpha", "mid", "mid", "mid");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expected.addAll(once);
        }
        assertThat(run(Checkout.class).log).isEqualTo(expected);
    }

    // ---- life cycle, StopUser, errors ----------------------------------------------------------

    public static class Lifecycle extends User {
        int starts;
        int stops;
        int runs;
        boolean startedBeforeFirstTask;

        @Override
        protected void onStart() {
            starts++;
        }

        @Task
        void work() {
            startedBeforeFirstTask |= runs == 0 && starts == 1;
            if (++runs == 5) {
                throw new StopUser();
            }
        }

        @Override
        protected void onStop() {
            stops++;
        }
    }

    @Test
    void onStartAndOnStopRunOnceAndStopUserEndsTheUser() {
        Lifecycle user = run(Lifecycle.class);
        assertThat(user.starts).isEqualTo(1);
        assertThat(user.stops).isEqualTo(1);
        assertThat(user.runs).isEqualTo(5);
        assertThat(user.startedBeforeFirstTask).isTrue();
    }

    public static class Faulty extends User {
        int runs;

        @Task
        void work() throws IOException {
            runs++;
            if (runs == 10) {
                throw new StopUser();
            }
            if (runs % 3 == 0) {
                throw new IOException("disk on fire");
            }
            if (runs % 2 == 1) {
                throw new IllegalStateException("boom");
            }
        }
    }

    @Test
    void exceptionsInTasksFireUserErrorAndTheUserKeepsRunning() {
        Environment env = Environment.builder().userClasses(Faulty.class).build();
        List<Events.UserError> errors = new CopyOnWriteArrayList<>();
        env.events().userError.addListener(errors::add);
        Faulty user = run(Faulty.class, env);

        assertThat(user.runs).isEqualTo(10);
        // runs 1, 5, 7 -> boom; 3, 6, 9 -> disk on fire (the checked exception itself, not a wrapper)
        assertThat(errors).extracting(e -> e.exception().getMessage())
                .containsExactly("boom", "disk on fire", "boom", "disk on fire", "boom", "disk on fire");
        assertThat(errors.get(1).exception()).isInstanceOf(IOException.class);
        assertThat(errors).allSatisfy(e -> {
            assertThat(e.user()).isSameAs(user);
            assertThat(e.traceback()).contains("Faulty.work");
        });
    }

    // ---- wait times --------------------------------------------------------------------------

    @Test
    void constantAndBetween() {
        assertThat(WaitTime.constant(0.5).nextWaitSeconds()).isEqualTo(0.5);
        assertThat(WaitTime.none().nextWaitSeconds()).isZero();
        WaitTime between = WaitTime.between(1, 3);
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (int i = 0; i < 5_000; i++) {
            double w = between.nextWaitSeconds();
            assertThat(w).isBetween(1.0, 3.0);
            min = Math.min(min, w);
            max = Math.max(max, w);
            sum += w;
        }
        assertThat(min).isLessThan(1.1);
        assertThat(max).isGreaterThan(2.9);
        assertThat(sum / 5_000).isCloseTo(2.0, within(0.1));
        assertThat(WaitTime.between(2, 2).nextWaitSeconds()).isEqualTo(2.0);
        assertThatThrownBy(() -> WaitTime.between(3, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Records when each task starts; waits as configured; stops after 6 tasks. */
    public abstract static class Timed extends User {
        final List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        long taskMillis;

        @Task
        void work() throws InterruptedException {
            starts.add(System.nanoTime());
            Thread.sleep(taskMillis);
            if (starts.size() == 6) {
                throw new StopUser();
            }
        }

        List<Double> intervals() {
            List<Double> out = new ArrayList<>();
            for (int i = 1; i < starts.size(); i++) {
                out.add((starts.get(i) - starts.get(i - 1)) / 1e9);
            }
            return out;
        }
    }

    public static class ConstantWait extends Timed {
        public ConstantWait() {
            waitTime(constant(0.05));
        }
    }

    public static class BetweenWait extends Timed {
        public BetweenWait() {
            waitTime(between(0.02, 0.06));
        }
    }

    public static class Paced extends Timed {
        public Paced() {
            waitTime(constantPacing(0.1));
            taskMillis = 60;
        }
    }

    public static class Throughput extends Timed {
        public Throughput() {
            waitTime(constantThroughput(20)); // a task every 50 ms
            taskMillis = 20;
        }
    }

    @Test
    void usersWaitBetweenTasks() {
        assertThat(run(ConstantWait.class).intervals()).hasSize(5).allSatisfy(s -> assertThat(s).isBetween(0.045, 0.5));
        assertThat(run(BetweenWait.class).intervals()).hasSize(5).allSatisfy(s -> assertThat(s).isBetween(0.018, 0.5));
    }

    @Test
    void constantPacingStartsATaskEveryPeriodWhateverTheTaskTakes() {
        // a 60 ms task paced at 100 ms: like Locust, the first wait is a whole period, later waits
        // subtract the task's run time (a constant wait would give 160 ms between starts)
        assertPaced(run(Paced.class), 0.1);
        // 20 tasks per second = a 50 ms period, with a 20 ms task
        assertPaced(run(Throughput.class), 0.05);
    }

    private static void assertPaced(Timed user, double period) {
        List<Double> intervals = user.intervals();
        assertThat(intervals).hasSize(5);
        assertThat(intervals.get(0)).as("first interval: the task plus a whole period").isBetween(period, 1.0);
        double total = intervals.stream().mapToDouble(Double::doubleValue).sum();
        assertThat(total).as("six starts span at least five periods").isBetween(5 * period, 1.5);
        double later = intervals.subList(1, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(later).as("later starts follow the period, not period + task time").isBetween(0.5 * period, 1.5 * period);
    }

    // ---- non-HTTP users ----------------------------------------------------------------------

    public static class Custom extends User {
        Exception rethrown;
        String result;

        @Task
        void work() throws Exception {
            result = measure("grpc", "Greeter/SayHello", () -> {
                Thread.sleep(20);
                return "hi";
            });
            reportRequest("SQL", "select users", 12.5, 128, null);
            reportRequest("SQL", "select users", 30.0, 64, "deadlock detected");
            try {
                measure("grpc", "Greeter/Fail", () -> {
                    throw new IOException("unavailable");
                });
            } catch (IOException e) {
                rethrown = e;
            }
            throw new StopUser();
        }
    }

    @Test
    void measureAndReportRequestForNonHttpUsers() {
        Environment env = Environment.builder().userClasses(Custom.class).build();
        List<RequestEvent> events = new CopyOnWriteArrayList<>();
        env.events().request.addListener(events::add);
        Custom user = run(Custom.class, env);

        assertThat(user.result).isEqualTo("hi");
        assertThat(user.rethrown).hasMessage("unavailable");
        var s = env.stats().snapshot();
        EntrySnapshot hello = s.entries().stream().filter(e -> e.name().equals("Greeter/SayHello")).findFirst().orElseThrow();
        assertThat(hello.method()).isEqualTo("grpc");
        assertThat(hello.numRequests()).isEqualTo(1);
        assertThat(hello.avgResponseTime()).isBetween(19.0, 2_000.0);
        EntrySnapshot sql = s.entries().stream().filter(e -> e.name().equals("select users")).findFirst().orElseThrow();
        assertThat(sql.method()).isEqualTo("SQL");
        assertThat(sql.numRequests()).isEqualTo(2);
        assertThat(sql.numFailures()).isEqualTo(1);
        assertThat(sql.totalResponseTime()).isCloseTo(42.5, within(1e-9));
        assertThat(sql.avgContentLength()).isEqualTo(96.0);
        assertThat(s.errors()).extracting(ErrorSnapshot::name).containsExactlyInAnyOrder("select users", "Greeter/Fail");
        assertThat(s.errors()).extracting(ErrorSnapshot::error)
                .anyMatch(t -> t.contains("deadlock detected")).anyMatch(t -> t.contains("unavailable"));
        assertThat(events).extracting(RequestEvent::requestType).containsExactly("grpc", "SQL", "SQL", "grpc");
        assertThat(events).allSatisfy(e -> assertThat(e.user()).isSameAs(user));
        assertThat(events.get(0).startTime()).isCloseTo(System.currentTimeMillis(), within(10_000L));
    }
}
