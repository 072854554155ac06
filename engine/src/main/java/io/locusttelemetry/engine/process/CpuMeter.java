package io.locusttelemetry.engine.process;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU of this process between readings: each {@link #read()} measures the CPU time all threads
 * used since the previous reading, over the wall-clock time between the two. Every reading starts
 * the next window, so each reader keeps a meter of its own. Thread-safe.
 *
 * <p>The operating system counts CPU time in scheduler ticks, so a window shorter than
 * {@link #MIN_WINDOW} is too coarse to mean anything: a reading that early repeats the previous
 * percentage and leaves the window open; the first reading that early is the average since the JVM
 * started.
 */
public final class CpuMeter {
    /** The shortest window a reading measures. */
    public static final Duration MIN_WINDOW = Duration.ofMillis(250);

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long baseCpuNanos;
    private long baseWallNanos;
    private volatile CpuReading last = CpuReading.NONE;

    /** A meter whose first window starts now. */
    public CpuMeter() {
        baseCpuNanos = os.getProcessCpuTime();
        baseWallNanos = System.nanoTime();
    }

    /** Reads the CPU since the previous reading (see the class comment for windows shorter than {@link #MIN_WINDOW}). */
    public synchronized CpuReading read() {
        long cpu = os.getProcessCpuTime();
        long now = System.nanoTime();
        if (cpu < 0) {
            // the JVM cannot tell its CPU time on this platform
            return CpuReading.NONE;
        }
        long window = now - baseWallNanos;
        CpuReading reading;
        if (window >= MIN_WINDOW.toNanos()) {
            reading = new CpuReading(Math.max(0, 100.0 * (cpu - baseCpuNanos) / window), window);
            baseCpuNanos = cpu;
            baseWallNanos = now;
        } else if (last == CpuReading.NONE) {
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
            reading = new CpuReading(uptime > 0 ? Math.max(0, 100.0 * cpu / uptime) : 0, 0);
        } else {
            reading = new CpuReading(last.percent(), 0);
        }
        last = reading;
        return reading;
    }

    /** The latest reading, without taking one: {@link CpuReading#NONE} before the first. */
    public CpuReading last() {
        return last;
    }
}
