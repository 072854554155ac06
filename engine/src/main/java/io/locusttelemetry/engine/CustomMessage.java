package io.locusttelemetry.engine;

/**
 * A message between master and workers that Locust does not define itself (for example the
 * telemetry's {@code set_metadata}).
 *
 * @param type   the message name
 * @param data   a value made of null, Boolean, Long, Double, String, byte[], List and Map
 * @param nodeId on a master, the sending worker's id; on a worker, the message's node id (the worker's own, as
 *               in Locust); {@code "local"} on a local runner
 */
public record CustomMessage(String type, Object data, String nodeId) {

    /** Receives custom messages of a registered type. */
    @FunctionalInterface
    public interface Handler {
        void onMessage(Environment environment, CustomMessage message);
    }
}
