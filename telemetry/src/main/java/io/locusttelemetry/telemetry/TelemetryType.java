package io.locusttelemetry.telemetry;

/** What a telemetry record is: the {@code telemetry_type} field. */
public enum TelemetryType {
    /** Something that happened once (test start, spawn complete, ...). */
    EVENT("event"),
    /** A measured value, recorded periodically. */
    METRICS("metrics");

    private final String wireName;

    TelemetryType(String wireName) {
        this.wireName = wireName;
    }

    /** The value written in {@code telemetry_type}: {@code event} or {@code metrics}. */
    public String wireName() {
        return wireName;
    }
}
