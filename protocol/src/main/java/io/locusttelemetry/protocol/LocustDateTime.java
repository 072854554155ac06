package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.PythonDateTime;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Datetimes inside custom message data. Latest Locust (2.20 and later) sends a datetime as the
 * map {@code {"__datetime__": true, "as_str": "20240105T13:45:12.123456"}} (naive, no zone) and
 * turns such maps back into datetimes on receipt; 2.12.1 has no such convention.
 * {@link MessageCodec} encodes {@link LocalDateTime} and friends in this form but leaves received
 * maps as maps, since 2.12.1 peers would mean a plain dictionary; use {@link #fromWire(Object)}
 * where a datetime is expected.
 */
public final class LocustDateTime {

    private LocustDateTime() {
    }

    /** The wire map for a naive datetime, keys in Locust's order. */
    public static Map<String, Object> toWire(LocalDateTime dateTime) {
        return PythonDateTime.toWire(Objects.requireNonNull(dateTime, "dateTime"));
    }

    /** The datetime carried by a decoded value, if it is a well-formed datetime map. */
    public static Optional<LocalDateTime> fromWire(Object value) {
        return PythonDateTime.fromWire(value);
    }
}
