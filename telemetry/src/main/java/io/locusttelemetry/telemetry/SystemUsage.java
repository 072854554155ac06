package io.locusttelemetry.telemetry;

import java.time.Instant;

/**
 * One reading of this process's resource usage.
 *
 * @param time                when it was sampled
 * @param cpuPercent          process CPU in percent of one core (150 = one and a half cores) since the previous reading
 *                            (readings less than 250 ms apart repeat the value; the first is the average since JVM start)
 * @param residentBytes       resident set size of the process, in bytes
 * @param networkBytesSent    bytes sent on all network interfaces of the machine since boot (as psutil counts them)
 * @param networkBytesRecv    bytes received on all network interfaces of the machine since boot
 * @param heapUsedBytes       JVM heap in use, in bytes
 * @param heapCommittedBytes  JVM heap committed (reserved from the OS), in bytes
 * @param gcPauseMillis       total time the JVM's collectors spent in collections since start, in milliseconds
 *                            (concurrent cycles excluded where the JVM reports them separately)
 * @param gcCount             collections that paused the JVM since start (concurrent cycles excluded)
 * @param availableProcessors cores available to the JVM
 */
public record SystemUsage(
        Instant time,
        double cpuPercent,
        long residentBytes,
        long networkBytesSent,
        long networkBytesRecv,
        long heapUsedBytes,
        long heapCommittedBytes,
        long gcPauseMillis,
        long gcCount,
        int availableProcessors) {

    private static final double MIB = 1024.0 * 1024.0;

    /** Process CPU as a share of the cores the JVM may use, 0 to 1 (as {@code jvm.cpu.recent_utilization}). */
    public double cpuUtilization() {
        return availableProcessors <= 0 ? 0 : Math.min(1.0, cpuPercent / (100.0 * availableProcessors));
    }

    /** Resident memory in MiB. */
    public double residentMiB() {
        return residentBytes / MIB;
    }
}
