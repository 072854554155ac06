package io.locusttelemetry.telemetry;

import java.util.Locale;

/** Severity of a telemetry record, with Python logging's names (the {@code level} field). */
public enum TelemetryLevel {
    DEBUG, INFO, WARNING, ERROR, CRITICAL;

    /**
     * Parses a level name as {@code --lt-log-level} accepts it: case-insensitive, {@code warn} and
     * {@code fatal} included.
     *
     * @throws TelemetryConfigurationException for an unknown name
     */
    public static TelemetryLevel parse(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        return switch (n) {
            case "DEBUG", "TRACE" -> DEBUG;
            case "INFO" -> INFO;
            case "WARNING", "WARN" -> WARNING;
            case "ERROR" -> ERROR;
            case "CRITICAL", "FATAL" -> CRITICAL;
            default -> throw new TelemetryConfigurationException("--lt-log-level must be one of debug, info, warning, error, critical; got '"
                    + name + "'");
        };
    }
}
