package io.locusttelemetry.telemetry.internal;

/** The {@code telemetry_name}s of {@code telemetry-spec.md} §2, and those of the JVM's own health. */
public final class StandardNames {
    public static final String LOGGER = "locust_telemetry.json";
    public static final String TEST_START = "locust.tl.event.test.start";
    public static final String TEST_STOP = "locust.tl.event.test.stop";
    public static final String SPAWN_COMPLETE = "locust.tl.event.spawn.complete";
    public static final String CPU_WARNING = "locust.tl.event.cpu.warning";
    public static final String GENERATOR_SATURATED = "locust.tl.event.generator.saturated";
    public static final String THRESHOLDS = "locust.tl.event.thresholds";
    public static final String CPU = "locust.tl.system.metric.cpu";
    public static final String MEM = "locust.tl.system.metric.mem";
    public static final String NETWORK = "locust.tl.system.metric.network";
    public static final String GC = "locust.tl.system.metric.gc";
    public static final String HEAP = "locust.tl.system.metric.heap";
    public static final String LAG = "locust.tl.system.metric.lag";
    public static final String REQUEST_STATS = "locust.tl.request.metric.stats";
    /** An open model's iterations: scheduled, started, dropped, late. */
    public static final String ITERATION_STATS = "locust.tl.iteration.metric.stats";
    /** An open-model class began dropping iterations (its pool was full). */
    public static final String ITERATIONS_DROPPED = "locust.tl.event.iterations.dropped";

    private StandardNames() {}

    /** Rounds to two decimals, for percentages and MiB. */
    public static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
