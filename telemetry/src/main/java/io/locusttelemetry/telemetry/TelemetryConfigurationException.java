package io.locusttelemetry.telemetry;

/**
 * A telemetry setting a user got wrong (unknown recorder id, missing {@code --testplan}, bad
 * interval, duplicate plugin id, ...). The message is one line meant for the user as is; the CLI
 * prints it and exits with code 2.
 */
public class TelemetryConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TelemetryConfigurationException(String message) {
        super(oneLine(message));
    }

    public TelemetryConfigurationException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message == null ? "telemetry configuration error" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
