package io.locusttelemetry.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The monitor's rule, second by second: two in a row start an episode, three healthy ones end it, a late few while idle do not count. */
class GeneratorMonitorTest {
    private final Environment env = Environment.builder().build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final GeneratorMonitor monitor = new GeneratorMonitor(env, scheduler, Duration.ofMillis(10));
    private final List<Events.GeneratorSaturation> events = new CopyOnWriteArrayList<>();

    {
        env.events().generatorSaturation.addListener(events::add);
    }

    @AfterEach
    void close() {
        monitor.close();
        scheduler.shutdownNow();
    }

    private static GeneratorMonitor.Second second(long t, double p50, double p99, double gc, double cpu) {
        return new GeneratorMonitor.Second(t, p50, p99, gc, cpu);
    }

    @Test
    void oneBadSecondIsAHiccupTwoStartAnEpisodeThreeGoodOnesEndIt() {
        monitor.check(second(100, 0.3, 2, 0, 0.2));
        monitor.check(second(101, 20, 60, 0, 0.9));
        monitor.check(second(102, 0.3, 2, 0, 0.2));
        assertThat(events).isEmpty();

        monitor.check(second(103, 30, 80, 0, 0.95));
        monitor.check(second(104, 5, 40, 25, 0.9));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.saturated()).isTrue();
            assertThat(e.cause()).isEqualTo("lag,gc");
            assertThat(e.lagP99Millis()).isEqualTo(80);
            assertThat(e.gcPauseMillis()).isEqualTo(25);
            assertThat(e.saturatedIntervals()).isEqualTo(2);
        });
        monitor.check(second(105, 40, 90, 0, 1));
        monitor.check(second(106, 0.3, 2, 0, 0.2));
        monitor.check(second(107, 0.3, 2, 0, 0.2));
        monitor.check(second(108, 20, 50, 0, 0.9)); // still in the episode: the healthy streak starts again
        monitor.check(second(109, 0.3, 2, 0, 0.2));
        monitor.check(second(110, 0.3, 2, 0, 0.2));
        assertThat(events).hasSize(1);
        monitor.check(second(111, 0.3, 2, 0, 0.2));
        assertThat(events).hasSize(2);
        assertThat(events.get(1).saturated()).isFalse();
        assertThat(events.get(1).saturatedIntervals()).isEqualTo(4);
        assertThat(events.get(1).lagP99Millis()).isEqualTo(90);
    }

    @Test
    void aLateFewWhileTheProcessHasSpareCoresAreTheMachinesDoing() {
        for (long t = 0; t < 10; t++) {
            monitor.check(second(t, 0.4, 50, 0, 0.05));
        }
        assertThat(events).isEmpty();
        // the same tail with most users late, or with the process's cores busy, is the generator's
        monitor.check(second(20, 3, 50, 0, 0.05));
        monitor.check(second(21, 0.4, 50, 0, 0.8));
        assertThat(events).singleElement().satisfies(e -> assertThat(e.cause()).isEqualTo("lag"));
    }

    @Test
    void gcPausesAloneSaturate() {
        monitor.check(second(1, 0.2, 1, 30, 0.3));
        monitor.check(second(2, 0.2, 1, 12, 0.3));
        assertThat(events).singleElement().satisfies(e -> assertThat(e.cause()).isEqualTo("gc"));
    }
}
