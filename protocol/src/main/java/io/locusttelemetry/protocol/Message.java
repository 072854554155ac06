package io.locusttelemetry.protocol;

import java.util.Objects;

/**
 * One Locust message, the {@code [type, data, node_id]} triple carried in a single ZeroMQ frame.
 *
 * <p>{@code data} is a generic value as produced by {@link MessageCodec#decode(byte[])}: null,
 * {@link Boolean}, {@link Long}, {@link java.math.BigInteger} (only for uint64 values above
 * {@link Long#MAX_VALUE}), {@link Double} (float64), {@link Float} (float32), {@link String},
 * {@code byte[]} (msgpack bin), {@link java.util.List} or {@link java.util.Map} (insertion
 * ordered). Decoded containers are mutable and owned by the receiver.
 *
 * @param type    message type name, case-sensitive (for example {@code "heartbeat"})
 * @param data    payload, any value {@link MessageCodec} can encode; may be null
 * @param nodeId  worker to master: the sending worker's id; master to worker: the recipient's id
 */
public record Message(String type, Object data, String nodeId) {

    /** Requires type and node id; data may be null. */
    public Message {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(nodeId, "nodeId");
    }
}
