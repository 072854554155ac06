package io.locusttelemetry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UserClassesTest {

    @Weight(3)
    public static class Shopper extends User {
        @Task(2)
        void browse() {}

        @Task
        @Tag("checkout")
        void buy() {}

        @Task(2)
        public static class Cart extends TaskSet {
            @Task(3)
            void add() {}

            @Task
            @Tag("checkout")
            void pay() {}
        }
    }

    public static class Reader extends User {
        @Task
        @Tag("read")
        void read() {}
    }

    public static class Idle extends User {}

    public static class Throws extends User {
        public Throws() {
            throw new IllegalStateException("no data");
        }

        @Task
        void t() {}
    }

    public static class NeedsArgument extends User {
        public NeedsArgument(String s) {}
    }

    public static class FailsSecond extends User {
        static final AtomicInteger CREATED = new AtomicInteger();

        public FailsSecond() {
            waitTime(constant(0.05));
            if (CREATED.incrementAndGet() == 2) {
                throw new IllegalStateException("second one");
            }
        }

        @Task
        void t() {}
    }

    private static final UserClasses ALL = UserClasses.of(List.of(Shopper.class, Reader.class, Idle.class));

    @Test
    void selectsBySimpleOrFullNameInTheOrderGiven() {
        assertThat(ALL.names()).containsExactly("Shopper", "Reader", "Idle");
        assertThat(ALL.select(List.of("Reader", Shopper.class.getName())).list()).containsExactly(Reader.class, Shopper.class);
        assertThat(ALL.select(List.of())).isSameAs(ALL);
        assertThat(ALL.find("Nobody")).isEmpty();
    }

    @Test
    void unknownNamesAreNamedAllAtOnce() {
        assertThatThrownBy(() -> ALL.select(List.of("Reader", "Nobody", "Ghost")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown User(s): Nobody, Ghost (available: Shopper, Reader, Idle)");
    }

    @Test
    void ratiosFollowWeightsAndNestTaskSets() {
        List<UserClassRatio> ratios = ALL.ratios(TagFilter.ALL);
        assertThat(ratios).extracting(UserClassRatio::name).containsExactly("Shopper", "Reader", "Idle");
        assertThat(ratios.get(0).ratio()).isEqualTo(0.6);
        assertThat(ratios.get(1).ratio()).isEqualTo(0.2);
        assertThat(ratios.get(2).hasTasks()).isFalse();
        List<TaskRatio> shopper = ratios.get(0).tasks();
        assertThat(shopper).extracting(TaskRatio::name).containsExactly("Shopper.browse", "Shopper.buy", "Cart");
        assertThat(shopper).extracting(TaskRatio::ratio).containsExactly(0.4, 0.2, 0.4);
        TaskRatio cart = shopper.get(2);
        assertThat(cart.tasks()).extracting(TaskRatio::name).containsExactly("Cart.add", "Cart.pay");
        assertThat(cart.tasks()).extracting(TaskRatio::ratio).containsExactly(0.75, 0.25);
        assertThat(shopper.get(0).tasks()).isEmpty();
    }

    @Test
    void tagsFilterTheTasksNestedOnesToo() {
        List<UserClassRatio> ratios = ALL.ratios(TagFilter.of(Set.of("checkout"), null));
        assertThat(ratios.get(0).tasks()).extracting(TaskRatio::name).containsExactly("Shopper.buy", "Cart");
        assertThat(ratios.get(0).tasks().get(1).tasks()).extracting(TaskRatio::name).containsExactly("Cart.pay");
        assertThat(ratios.get(1).hasTasks()).isFalse();
        List<UserClassRatio> excluded = ALL.ratios(TagFilter.of(null, Set.of("checkout", "read")));
        assertThat(excluded.get(0).tasks()).extracting(TaskRatio::name).containsExactly("Shopper.browse", "Cart");
        assertThat(excluded.get(1).hasTasks()).isFalse();
        assertThat(TagFilter.ALL.isActive()).isFalse();
        assertThat(TagFilter.of(Set.of(), Set.of()).isActive()).isFalse();
    }

    @Test
    void aClassThatCannotBeCreatedIsOneLine() {
        assertThatThrownBy(() -> UserClasses.of(List.of(Reader.class, Throws.class)).checkConstructible())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("User class " + Throws.class.getName()
                        + " cannot be created: its constructor threw java.lang.IllegalStateException: no data");
        assertThatThrownBy(() -> UserClasses.of(List.of(NeedsArgument.class)).checkConstructible())
                .hasMessage("User class " + NeedsArgument.class.getName() + " needs a constructor without arguments");
        UserClasses.of(List.of(Reader.class, Shopper.class)).checkConstructible();
    }

    @Test
    void aUserThatCannotBeCreatedDuringATestIsAUserErrorAndTheOthersRun() {
        FailsSecond.CREATED.set(0);
        Environment env = Environment.builder().userClasses(FailsSecond.class).build();
        List<Events.UserError> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        env.events().userError.addListener(errors::add);
        LocalRunner runner = env.createLocalRunner();
        try {
            runner.start(4, 100);
            await().atMost(Duration.ofSeconds(10)).until(() -> runner.state() == RunnerState.RUNNING && runner.userCount() == 4);
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).user()).isNull();
            assertThat(errors.get(0).exception()).hasMessage("second one");
            assertThat(runner.exceptions()).singleElement().satisfies(e -> {
                assertThat(e.count()).isEqualTo(1);
                assertThat(e.message()).isEqualTo("java.lang.IllegalStateException: second one");
                assertThat(e.traceback()).contains("FailsSecond.<init>");
            });
        } finally {
            runner.quit();
        }
    }
}
