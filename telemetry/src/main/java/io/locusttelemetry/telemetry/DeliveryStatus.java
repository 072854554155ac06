package io.locusttelemetry.telemetry;

/**
 * Whether a recorder's exports reach where they go, as a web UI shows it beside the statistics.
 *
 * @param recorder  the recorder's name, e.g. {@code otel}
 * @param target    where the exports go, e.g. {@code http://collector:4317 (grpc)}; never credentials or headers
 * @param state     what the last exports did
 * @param delivered exports (or batches) the receiver accepted so far
 * @param failed    exports that failed so far
 * @param detail    what the receiver answered or the last error, or null
 */
public record DeliveryStatus(String recorder, String target, State state, long delivered, long failed, String detail) {

    /** What the last exports did. */
    public enum State {
        /** Nothing exported yet. */
        WAITING,
        /** The last exports were delivered. */
        DELIVERING,
        /** The last export failed, or one has been under way for too long. */
        FAILING,
        /** The recorder writes locally (a file, stdout) or serves its data to be pulled. */
        LOCAL
    }
}
