package io.locusttelemetry.protocol;

import java.util.Objects;

/**
 * Any message type the receiving side does not treat as built-in: custom messages registered by
 * test code (same envelope as built-ins, any msgpack-able data, bin values possible) and types
 * from newer peers. Unknown types are harmless and may be ignored.
 *
 * @param type message type name
 * @param data generic decoded payload (see {@link Message}); not copied
 */
public record CustomMessage(String type, Object data) implements LocustMessage {

    /** Requires a type; data may be null. */
    public CustomMessage {
        Objects.requireNonNull(type, "type");
    }

    /** Wraps any message, whatever its type. */
    public static CustomMessage fromMessage(Message m) {
        return new CustomMessage(m.type(), m.data());
    }

    @Override
    public Message toMessage(String nodeId) {
        return new Message(type, data, nodeId);
    }
}
