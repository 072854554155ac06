package io.locusttelemetry.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.Test;

class SystemUsageSamplerTest {

    @Test
    void samplesProcessAndJvmUsageOnDemandAndOnASchedule() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            SystemUsageSampler sampler = new SystemUsageSampler(scheduler);
            SystemUsage u = sampler.sample();
            assertThat(u.cpuPercent()).isGreaterThanOrEqualTo(0);
            assertThat(u.residentBytes()).isGreaterThan(1 << 20);
            assertThat(u.residentMiB()).isEqualTo(u.residentBytes() / 1048576.0);
            assertThat(u.heapUsedBytes()).isPositive();
            assertThat(u.networkBytesSent()).isGreaterThanOrEqualTo(0);
            assertThat(u.networkBytesRecv()).isGreaterThanOrEqualTo(0);
            assertThat(u.gcPauseMillis()).isGreaterThanOrEqualTo(0);
            assertThat(u.availableProcessors()).isPositive();
            assertThat(sampler.sample()).as("a sample younger than 200 ms is reused").isSameAs(u);
            assertThat(sampler.latest()).isSameAs(u);

            List<SystemUsage> scheduled = new CopyOnWriteArrayList<>();
            ScheduledFuture<?> f = sampler.every(Duration.ofMillis(250), scheduled::add);
            await().atMost(Duration.ofSeconds(5)).until(() -> scheduled.size() >= 3);
            f.cancel(false);
            assertThat(scheduled).doesNotHaveDuplicates();
            assertThat(scheduled.getLast().time()).isAfter(u.time());
        } finally {
            scheduler.shutdownNow();
        }
    }
}
