package io.locusttelemetry.cluster;

import io.locusttelemetry.engine.WorkerSummary;
import java.util.Map;

/**
 * What a {@link MasterRunner} knows about one worker, at one moment.
 *
 * @param id               the worker's node id
 * @param index            the index the master gave it in its {@code ack}, stable for the master's life
 * @param state            Locust's state name: {@code ready}, {@code spawning}, {@code running} or {@code missing}
 * @param userClassesCount users per class the worker last reported
 * @param cpuUsage         the worker's CPU percent from its last heartbeat
 * @param memoryUsage      the worker's resident memory in bytes from its last heartbeat
 * @param version          what the worker sent in {@code client_ready}: a Locust version string, {@code ""}
 *                         (Debian's 2.12.1 build), or -1 (a non-Python worker such as jlocust's)
 */
public record WorkerInfo(String id, int index, String state, Map<String, Integer> userClassesCount, double cpuUsage,
        long memoryUsage, Object version) implements WorkerSummary {

    public WorkerInfo {
        userClassesCount = Map.copyOf(userClassesCount);
    }

    /** Users running on the worker. */
    @Override
    public int userCount() {
        return userClassesCount.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** {@code worker-<index>}, the worker's telemetry source id. */
    public String sourceId() {
        return "worker-" + index;
    }

    /** {@code jlocust} for a worker that sent no Locust version, else {@code Locust <version>}. */
    @Override
    public String kind() {
        if (version instanceof String v) {
            return v.isEmpty() ? "Locust" : "Locust " + v;
        }
        return "jlocust";
    }
}
