package io.locusttelemetry.engine.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.locusttelemetry.engine.internal.ProcFs;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** The engine's process usage API against the kernel's and the JVM's own counters. */
class ProcessUsageTest {

    @Test
    void cpuOfABusyThreadReadsAsAboutOneCoreOverTheWindow() {
        CpuMeter meter = new CpuMeter();
        assertThat(meter.last()).isEqualTo(CpuReading.NONE);
        long threadCpu0 = threadCpuNanos();
        long wall0 = System.nanoTime();
        spin(400);

        CpuReading r = meter.read();

        long wall = System.nanoTime() - wall0;
        long busy = threadCpuNanos() - threadCpu0;
        assertThat(r.windowNanos()).isBetween(CpuMeter.MIN_WINDOW.toNanos(), wall + 50_000_000L);
        // at least what this thread used (other threads of the JVM may add to it), at most every core
        assertThat(r.percent()).isGreaterThanOrEqualTo(100.0 * busy / wall * 0.8)
                .isLessThanOrEqualTo(100.0 * Runtime.getRuntime().availableProcessors() * 1.2);
        assertThat(meter.last()).isSameAs(r);
    }

    @Test
    void aReadingSoonerThanTheShortestWindowRepeatsThePreviousPercentage() {
        CpuMeter meter = new CpuMeter();
        spin(300);
        CpuReading measured = meter.read();

        CpuReading early = meter.read();

        assertThat(early.windowNanos()).as("no window of its own").isZero();
        assertThat(early.percent()).isEqualTo(measured.percent());
    }

    @Test
    void aFirstReadingSoonerThanTheShortestWindowIsTheAverageSinceTheJvmStarted() {
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;

        CpuReading first = new CpuMeter().read();

        assertThat(first.windowNanos()).isZero();
        assertThat(first.percent()).isCloseTo(100.0 * cpu / uptime, Percentage.withPercentage(25));
    }

    @Test
    void residentMemoryIsVmRssOnLinux() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
        long before = ProcFs.residentBytes();

        long rss = new ResidentMemory().bytes();

        assertThat(rss).isPositive().isCloseTo(before, Percentage.withPercentage(10));
    }

    @Test
    void networkBytesAreTheProcCountersOnLinuxAndOnlyGrow() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/dev")), "Linux only");
        NetworkCounters counters = new NetworkCounters();
        long[] before = ProcFs.networkBytes();

        NetworkBytes first = counters.read();
        NetworkBytes second = counters.read();

        long[] after = ProcFs.networkBytes();
        assertThat(first.sent()).isBetween(before[0], after[0]);
        assertThat(first.received()).isBetween(before[1], after[1]);
        assertThat(second.sent()).isGreaterThanOrEqualTo(first.sent());
        assertThat(second.received()).isGreaterThanOrEqualTo(first.received());
    }

    private static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Keeps this thread busy for {@code millis} of wall-clock time. */
    private static void spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long x = 0;
        while (System.nanoTime() < end) {
            x += System.nanoTime() & 7;
        }
        sink = x;
    }

    /** Where the busy loop's result goes, so that the JIT cannot drop the loop. */
    static volatile long sink;
}
