package io.locusttelemetry.engine.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NamedThreadsTest {

    @Test
    void factoryThreadsAreNamedDaemons() {
        Thread t = NamedThreads.daemon("runner-test").newThread(() -> {});
        assertThat(t.getName()).isEqualTo("runner-test");
        assertThat(t.isDaemon()).isTrue();
        assertThat(t.isVirtual()).isFalse();
    }

    /** A thread created from a daemon thread inherits its daemon flag unless told otherwise. */
    @Test
    void aNonDaemonStartedFromADaemonKeepsTheJvmAlive() throws Exception {
        CompletableFuture<Thread> started = new CompletableFuture<>();
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        Thread daemon = NamedThreads.startDaemon("outer", () -> started.complete(NamedThreads.startNonDaemon("goodbye", () -> ran.complete(true))));
        assertThat(daemon.isDaemon()).isTrue();
        Thread inner = started.get(5, TimeUnit.SECONDS);
        assertThat(inner.getName()).isEqualTo("goodbye");
        assertThat(inner.isDaemon()).isFalse();
        assertThat(ran.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(NamedThreads.shutdownHook("hook", () -> {}).getState()).isEqualTo(Thread.State.NEW);
    }
}
