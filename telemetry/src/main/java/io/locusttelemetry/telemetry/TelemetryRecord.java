package io.locusttelemetry.telemetry;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One telemetry record, ready for a {@link TelemetrySink}: what the JSON recorder writes as one line.
 *
 * @param time      when it was recorded
 * @param level     its severity
 * @param logger    the {@code name} field, e.g. {@code locust_telemetry.json}
 * @param message   the {@code message} field, e.g. {@code Recording telemetry metrics: locust.tl.system.metric.cpu}
 * @param type      {@code telemetry_type}
 * @param name      {@code telemetry_name}
 * @param telemetry the whole {@code telemetry} object in order: {@code telemetry_type}, {@code telemetry_name},
 *                  {@code source}, {@code source_id}, {@code run_id}, {@code testplan}, then the recorder's fields
 */
public record TelemetryRecord(
        Instant time,
        TelemetryLevel level,
        String logger,
        String message,
        TelemetryType type,
        String name,
        Map<String, Object> telemetry) {

    /** The records' time format: RFC 3339, UTC, milliseconds, {@code Z} (the JSON lines' {@code time}). */
    public static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public TelemetryRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        telemetry = Collections.unmodifiableMap(new LinkedHashMap<>(telemetry));
    }

    /** {@code run_id} of the record; null only when a worker never received its metadata. */
    public String runId() {
        Object v = telemetry.get("run_id");
        return v == null ? null : v.toString();
    }
}
