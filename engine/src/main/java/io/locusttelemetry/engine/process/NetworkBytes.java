package io.locusttelemetry.engine.process;

/**
 * Bytes the machine's network interfaces sent and received since boot, summed over every
 * interface, loopback included (as psutil, and so Locust, counts them).
 *
 * @param sent     bytes sent
 * @param received bytes received
 */
public record NetworkBytes(long sent, long received) {
    /** What {@link NetworkCounters} reads where the platform offers no counters. */
    public static final NetworkBytes NONE = new NetworkBytes(0, 0);
}
