package io.locusttelemetry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/** The runner's CPU watch: every sample reaches {@code usageMonitor}, a warning once per test above the threshold. */
class UsageMonitorTest {

    @Test
    void warnsOnceAboveTheThresholdOfAllCoresUntilRearmed() {
        Environment env = Environment.builder().build();
        List<Events.UsageMonitor> samples = new ArrayList<>();
        List<Events.CpuWarning> warnings = new ArrayList<>();
        env.events().usageMonitor.addListener(samples::add);
        env.events().cpuWarning.addListener(warnings::add);
        // two cores: the limit is 180% of one core
        PrimitiveIterator.OfDouble cpu = DoubleStream.of(50, 180, 181, 199, 20, 190, Double.NaN).iterator();
        UsageMonitor monitor = new UsageMonitor(env, 90, cpu::nextDouble, () -> 2);

        monitor.sample();
        monitor.sample();
        assertThat(warnings).as("at the limit is not above it").isEmpty();
        monitor.sample();
        monitor.sample();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getFirst().cpuUsage()).isEqualTo(181);
        assertThat(warnings.getFirst().message()).startsWith("CPU usage above 90%!");
        assertThat(monitor.cpuPercent()).isEqualTo(199);

        monitor.rearmWarning(); // a new test
        monitor.sample();
        monitor.sample();
        assertThat(warnings).extracting(Events.CpuWarning::cpuUsage).containsExactly(181.0, 190.0);
        monitor.sample(); // a reading that is no number warns of nothing
        assertThat(warnings).hasSize(2);
        assertThat(samples).extracting(Events.UsageMonitor::cpuUsage).startsWith(50.0, 180.0, 181.0, 199.0, 20.0, 190.0);
        assertThat(samples).allSatisfy(s -> assertThat(s.memoryUsage()).isGreaterThan(0));
    }
}
