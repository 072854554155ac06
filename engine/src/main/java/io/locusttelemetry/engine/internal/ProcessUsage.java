package io.locusttelemetry.engine.internal;

import java.lang.management.ManagementFactory;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;

/**
 * CPU and resident memory of this process, for heartbeats and the {@code usage_monitor} event.
 * CPU is in percent of one core over the time since the previous call (150 = 1.5 cores).
 */
public final class ProcessUsage {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Whether /proc answers; otherwise OSHI, which is only loaded then. */
    private volatile boolean procFs = true;
    private OSProcess process;
    private boolean processLooked;
    private long lastCpuNanos;
    private long lastWallNanos;
    private volatile double cpuPercent;

    public ProcessUsage() {
        this.lastCpuNanos = os.getProcessCpuTime();
        this.lastWallNanos = System.nanoTime();
    }

    /** Samples CPU since the last sample and returns it. */
    public synchronized double sampleCpuPercent() {
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        long dWall = wall - lastWallNanos;
        if (dWall > 0 && cpu >= 0) {
            cpuPercent = 100.0 * (cpu - lastCpuNanos) / dWall;
        }
        lastCpuNanos = cpu;
        lastWallNanos = wall;
        return cpuPercent;
    }

    /** The last sampled CPU percentage. */
    public double cpuPercent() {
        return cpuPercent;
    }

    /** Total CPU time of the process in nanoseconds. */
    public long cpuTimeNanos() {
        return os.getProcessCpuTime();
    }

    /** Resident set size in bytes (committed heap when the OS does not tell). */
    public long residentBytes() {
        if (procFs) {
            long rss = ProcFs.residentBytes();
            if (rss > 0) {
                return rss;
            }
            procFs = false;
        }
        try {
            synchronized (this) {
                if (!processLooked) {
                    processLooked = true;
                    process = new SystemInfo().getOperatingSystem().getCurrentProcess();
                }
                if (process != null) {
                    process.updateAttributes();
                    long rss = process.getResidentSetSize();
                    if (rss > 0) {
                        return rss;
                    }
                }
            }
        } catch (RuntimeException | LinkageError ignored) {
            // fall through
        }
        return Runtime.getRuntime().totalMemory();
    }

    public int availableProcessors() {
        return Runtime.getRuntime().availableProcessors();
    }
}
