package io.locusttelemetry.telemetry;

/**
 * Where finished telemetry records go (the JSON recorder's output is one). A recorder that
 * implements this interface is registered as a sink when its plugin is loaded; others can be added
 * with {@link TelemetryCoordinator#addSink}. When no sink is registered, records are logged through
 * SLF4J under their logger name.
 *
 * <p>{@link #accept} is called from many threads at once and must be thread-safe.
 */
public interface TelemetrySink {

    /** Takes one record; must not block for long. */
    void accept(TelemetryRecord record);

    /** Pushes out anything buffered. */
    default void flush() {}
}
