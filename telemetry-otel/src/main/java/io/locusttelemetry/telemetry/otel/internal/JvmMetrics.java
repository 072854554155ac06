package io.locusttelemetry.telemetry.otel.internal;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.locusttelemetry.engine.SchedulingLag;
import io.locusttelemetry.telemetry.SystemUsage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's own health by the semantic conventions' names ({@link OtelNames#SCHEMA_URL}):
 * {@code jvm.gc.duration} (a histogram of every collection, from the JVM's GC notifications),
 * {@code jvm.memory.used} and {@code jvm.memory.committed} per memory pool,
 * {@code jvm.cpu.recent_utilization} (process CPU as a share of the usable cores) and
 * {@code jvm.cpu.count}; and {@code locust.tl.system.metric.lag}, how late users woke (p99 of the
 * interval since the previous collection, at least a second). Every series carries {@code source}
 * and {@code source_id}, as the other gauges.
 */
final class JvmMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JvmMetrics.class);
    private static final long MIN_LAG_WINDOW_NANOS = 1_000_000_000L;

    private final Supplier<Attributes> base;
    private final DoubleHistogram gcDuration;
    private final Map<String, Attributes> gcAttributes = new ConcurrentHashMap<>();
    private final List<Runnable> unsubscribe = new ArrayList<>();
    private final List<AutoCloseable> instruments = new ArrayList<>();
    private final SchedulingLag.Reader lagReader = SchedulingLag.reader();
    private long lagReadAt = System.nanoTime();
    private double lagP99;

    JvmMetrics(Meter meter, Supplier<Attributes> base, Supplier<SystemUsage> usage) {
        this.base = base;
        gcDuration = meter.histogramBuilder(OtelNames.JVM_GC_DURATION).setUnit(OtelNames.UNIT_SECONDS)
                .setDescription("Duration of JVM garbage collection actions")
                .setExplicitBucketBoundariesAdvice(OtelNames.GC_DURATION_BUCKETS).build();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                NotificationListener listener = this::onGc;
                emitter.addNotificationListener(listener, null, null);
                unsubscribe.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException e) {
                        // already gone
                    }
                });
            }
        }
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        instruments.add(meter.upDownCounterBuilder(OtelNames.JVM_MEMORY_USED).setUnit(OtelNames.UNIT_BYTES)
                .setDescription("Measure of memory used").buildWithCallback(m -> {
                    for (MemoryPoolMXBean p : pools) {
                        m.record(Math.max(0, p.getUsage().getUsed()), poolAttributes(p));
                    }
                }));
        instruments.add(meter.upDownCounterBuilder(OtelNames.JVM_MEMORY_COMMITTED).setUnit(OtelNames.UNIT_BYTES)
                .setDescription("Measure of memory committed").buildWithCallback(m -> {
                    for (MemoryPoolMXBean p : pools) {
                        m.record(Math.max(0, p.getUsage().getCommitted()), poolAttributes(p));
                    }
                }));
        instruments.add(meter.gaugeBuilder(OtelNames.JVM_CPU_RECENT_UTILIZATION).setUnit(OtelNames.UNIT_ONE)
                .setDescription("Recent CPU utilization for the process, as a share of the cores it may use").buildWithCallback(m -> {
                    SystemUsage u = usage.get();
                    if (u != null) {
                        m.record(u.cpuUtilization(), base.get());
                    }
                }));
        instruments.add(meter.upDownCounterBuilder(OtelNames.JVM_CPU_COUNT).setUnit("{cpu}")
                .setDescription("Number of processors available to the Java virtual machine")
                .buildWithCallback(m -> m.record(Runtime.getRuntime().availableProcessors(), base.get())));
        instruments.add(meter.gaugeBuilder(OtelNames.LAG).setUnit(OtelNames.UNIT_MILLISECONDS)
                .setDescription("How late users woke against the time they asked for: p99 since the previous reading")
                .buildWithCallback(m -> m.record(lagP99(), base.get())));
    }

    /** Several readers (OTLP, Prometheus) collect: a window shorter than a second repeats the previous value. */
    private synchronized double lagP99() {
        long now = System.nanoTime();
        if (now - lagReadAt >= MIN_LAG_WINDOW_NANOS) {
            lagP99 = lagReader.next().p99Millis();
            lagReadAt = now;
        }
        return lagP99;
    }

    private Attributes poolAttributes(MemoryPoolMXBean p) {
        String key = "pool " + p.getName();
        Attributes a = gcAttributes.get(key);
        if (a == null) {
            a = base.get().toBuilder().put(OtelNames.JVM_MEMORY_TYPE, p.getType() == MemoryType.HEAP ? "heap" : "non_heap")
                    .put(OtelNames.JVM_MEMORY_POOL_NAME, p.getName()).build();
            gcAttributes.put(key, a);
        }
        return a;
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        try {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            Attributes a = gcAttributes.computeIfAbsent("gc " + info.getGcName() + "/" + info.getGcAction(), k -> base.get().toBuilder()
                    .put(OtelNames.JVM_GC_NAME, info.getGcName()).put(OtelNames.JVM_GC_ACTION, info.getGcAction()).build());
            gcDuration.record(info.getGcInfo().getDuration() / 1000.0, a);
        } catch (RuntimeException e) {
            log.debug("GC notification not recorded: {}", e.toString());
        }
    }

    /** Stops listening to GC notifications and removes the asynchronous instruments. */
    @Override
    public void close() {
        unsubscribe.forEach(Runnable::run);
        unsubscribe.clear();
        for (AutoCloseable i : instruments) {
            try {
                i.close();
            } catch (Exception e) {
                log.debug("closing an instrument failed: {}", e.toString());
            }
        }
        instruments.clear();
    }
}
