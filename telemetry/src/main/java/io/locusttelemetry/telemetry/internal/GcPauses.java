package io.locusttelemetry.telemetry.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * The time the JVM's collectors paused it, read from their MXBeans: the collectors whose time is
 * concurrent work ({@code G1 Concurrent GC}, {@code ZGC Cycles}, ...) are left out, so only
 * stop-the-world time counts.
 */
public final class GcPauses {
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private long lastMillis = -1;
    private long lastCount = -1;
    private long intervalCount;

    /** Whether a collector's time is pauses (not concurrent work). */
    public static boolean isPauses(String collectorName) {
        String n = collectorName.toLowerCase(Locale.ROOT);
        return !n.contains("concurrent") && !n.contains("cycles");
    }

    /** Pause milliseconds since the previous call (0 at the first). */
    public synchronized double next() {
        long millis = 0;
        long count = 0;
        for (GarbageCollectorMXBean gc : collectors) {
            if (isPauses(gc.getName())) {
                millis += Math.max(0, gc.getCollectionTime());
                count += Math.max(0, gc.getCollectionCount());
            }
        }
        long delta = lastMillis < 0 ? 0 : Math.max(0, millis - lastMillis);
        intervalCount = lastCount < 0 ? 0 : Math.max(0, count - lastCount);
        lastMillis = millis;
        lastCount = count;
        return delta;
    }

    /** Pauses counted by the latest {@link #next()}. */
    public synchronized long lastCount() {
        return intervalCount;
    }
}
