package io.locusttelemetry.engine;

/**
 * One worker of a master as a web UI or a script shows it: Locust's {@code workers} rows of
 * {@code /stats/requests}. A local runner has none.
 */
public interface WorkerSummary {

    /** The worker's node id. */
    String id();

    /** Locust's state name: {@code ready}, {@code spawning}, {@code running}, {@code stopped} or {@code missing}. */
    String state();

    /** Users running on the worker, as it last reported. */
    int userCount();

    /** The worker's CPU in percent of one core, from its last heartbeat. */
    double cpuUsage();

    /** The worker's resident memory in bytes, from its last heartbeat. */
    long memoryUsage();

    /** What the worker is: {@code jlocust}, or {@code Locust 2.46.3} for a Python worker. */
    default String kind() {
        return "";
    }
}
