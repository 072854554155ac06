package io.locusttelemetry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InitHooksTest {
    static final List<String> RAN = new CopyOnWriteArrayList<>();

    static class Setup {
        @OnInit
        static void second(Environment env) {
            RAN.add("second " + (env != null));
        }

        @OnInit
        static void first() {
            RAN.add("first");
        }

        static void notAHook() {
            RAN.add("never");
        }
    }

    static class Bad {
        @OnInit
        void notStatic() {}
    }

    static class Throws {
        @OnInit
        static void boom() {
            throw new IllegalStateException("no config");
        }
    }

    @Test
    void hooksRunOnceInDeclarationOrderWithTheEnvironment() {
        RAN.clear();
        Environment env = Environment.builder().initHooks(InitHooks.find(List.of(InitHooksTest.class, Setup.class))).build();
        assertThat(env.initHooks()).extracting(InitHooks.Hook::name).containsExactly("Setup.second", "Setup.first");
        env.runInitHooks();
        env.runInitHooks();
        assertThat(RAN).containsExactly("second true", "first");
    }

    @Test
    void aHookThatIsNotStaticIsRefusedByName() {
        assertThatThrownBy(() -> InitHooks.find(List.of(Bad.class))).hasMessageContaining("Bad.notStatic").hasMessageContaining("static");
    }

    @Test
    void aFailingHookNamesItselfAndItsError() {
        Environment env = Environment.builder().initHooks(InitHooks.find(List.of(Throws.class))).build();
        assertThatThrownBy(env::runInitHooks).isInstanceOf(IllegalStateException.class).hasMessageContaining("Throws.boom")
                .hasMessageContaining("no config");
    }
}
