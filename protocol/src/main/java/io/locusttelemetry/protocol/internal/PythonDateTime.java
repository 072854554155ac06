package io.locusttelemetry.protocol.internal;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The map form latest Locust versions use for datetimes inside message data. */
public final class PythonDateTime {

    public static final String MARKER_KEY = "__datetime__";
    public static final String TEXT_KEY = "as_str";

    // Mirrors strftime("%Y%m%dT%H:%M:%S.%f"): naive, always six fraction digits.
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuuMMdd'T'HH:mm:ss.SSSSSS");

    private PythonDateTime() {
    }

    public static Map<String, Object> toWire(LocalDateTime t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(MARKER_KEY, Boolean.TRUE);
        m.put(TEXT_KEY, FORMAT.format(t));
        return m;
    }

    public static Optional<LocalDateTime> fromWire(Object value) {
        if (value instanceof Map<?, ?> m && m.containsKey(MARKER_KEY) && m.get(TEXT_KEY) instanceof String s) {
            try {
                return Optional.of(LocalDateTime.parse(s, FORMAT));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
