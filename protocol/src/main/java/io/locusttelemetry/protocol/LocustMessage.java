package io.locusttelemetry.protocol;

import java.util.Objects;

/**
 * Typed view of a {@link Message}. Each built-in message type has an immutable record with a
 * lenient {@code fromMessage} (missing or unexpected values fall back to documented defaults, so
 * it never throws for odd data) and a {@link #toMessage(String)} that produces Locust's exact key
 * order and wire types. Types the receiving side does not know as built-ins become
 * {@link CustomTypeMessage}, mirroring Locust, where only unknown names reach custom handlers.
 */
public sealed interface LocustMessage
        permits ClientReady, Ack, Heartbeat, HeartbeatReply, Stats, Spawn, Spawning, SpawningComplete,
                ClientStopped, Stop, Quit, Reconnect, ExceptionReport, Logs, LocustfileMessage, UpdateUserClass, CustomTypeMessage {

    /** The wire type name. */
    String type();

    /** The generic message with this payload; {@code nodeId} is the sender (worker) or recipient (master). */
    Message toMessage(String nodeId);

    /** Interprets a message a master received from a worker. */
    static LocustMessage fromWorker(Message m) {
        Objects.requireNonNull(m, "message");
        return switch (m.type()) {
            case MessageTypes.CLIENT_READY -> ClientReady.fromMessage(m);
            case MessageTypes.HEARTBEAT -> Heartbeat.fromMessage(m);
            case MessageTypes.STATS -> Stats.fromMessage(m);
            case MessageTypes.SPAWNING -> new Spawning();
            case MessageTypes.SPAWNING_COMPLETE -> SpawningComplete.fromMessage(m);
            case MessageTypes.CLIENT_STOPPED -> new ClientStopped();
            case MessageTypes.QUIT -> new Quit();
            case MessageTypes.EXCEPTION -> ExceptionReport.fromMessage(m);
            case MessageTypes.LOGS -> Logs.fromMessage(m);
            case MessageTypes.LOCUSTFILE -> LocustfileRequest.fromMessage(m);
            default -> CustomTypeMessage.fromMessage(m);
        };
    }

    /** Interprets a message a worker received from its master. */
    static LocustMessage fromMaster(Message m) {
        Objects.requireNonNull(m, "message");
        return switch (m.type()) {
            case MessageTypes.ACK -> Ack.fromMessage(m);
            case MessageTypes.SPAWN -> Spawn.fromMessage(m);
            case MessageTypes.STOP -> new Stop();
            case MessageTypes.QUIT -> new Quit();
            case MessageTypes.RECONNECT -> new Reconnect();
            case MessageTypes.HEARTBEAT -> new HeartbeatReply();
            case MessageTypes.SPAWNING_COMPLETE -> SpawningComplete.fromMessage(m);
            case MessageTypes.UPDATE_USER_CLASS -> UpdateUserClass.fromMessage(m);
            case MessageTypes.LOCUSTFILE -> LocustfileReply.fromMessage(m);
            default -> CustomTypeMessage.fromMessage(m);
        };
    }
}
