package io.locusttelemetry.protocol;

/**
 * Locust's {@code locustfile} message, which goes both ways under one type name: a worker's
 * {@link LocustfileRequest} and the master's {@link LocustfileReply}.
 */
public sealed interface LocustfileMessage extends LocustMessage permits LocustfileRequest, LocustfileReply {

    @Override
    default String type() {
        return MessageTypes.LOCUSTFILE;
    }
}
