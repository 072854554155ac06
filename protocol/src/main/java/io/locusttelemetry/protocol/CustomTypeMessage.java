package io.locusttelemetry.protocol;

import java.util.Objects;

/**
 * A message of a type Locust does not define (the wire view of what the engine delivers as a
 * {@code io.locusttelemetry.engine.CustomMessage}): any type the receiving side does not treat as built-in: custom messages registered by
 * test code (same envelope as built-ins, any msgpack-able data, bin values possible) and types
 * from newer peers. Unknown types are harmless and may be ignored.
 *
 * @param type message type name
 * @param data generic decoded payload (see {@link Message}); not copied
 */
public record CustomTypeMessage(String type, Object data) implements LocustMessage {

    /** Requires a type; data may be null. */
    public CustomTypeMessage {
        Objects.requireNonNull(type, "type");
    }

    /** Wraps any message, whatever its type. */
    public static CustomTypeMessage fromMessage(Message m) {
        return new CustomTypeMessage(m.type(), m.data());
    }

    @Override
    public Message toMessage(String nodeId) {
        return new Message(type, data, nodeId);
    }
}
