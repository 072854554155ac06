package io.locusttelemetry.cli.internal;

/**
 * A user error: printed as one line (control characters escaped), then the process exits with
 * {@link #exitCode()}. Only compiler diagnostics keep their lines ({@link #lines}).
 */
public final class CliException extends RuntimeException {
    private final int exitCode;
    private final boolean multiLine;

    public CliException(String message) {
        this(message, 2);
    }

    public CliException(String message, int exitCode) {
        this(message, exitCode, false);
    }

    private CliException(String message, int exitCode, boolean multiLine) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.multiLine = multiLine;
    }

    /** An error of several lines (e.g. one per compiler error), each printed as a line. */
    public static CliException lines(String message, int exitCode) {
        return new CliException(message, exitCode, true);
    }

    public int exitCode() {
        return exitCode;
    }

    /** The message as it is printed: one line, or the lines of {@link #lines}, control characters escaped. */
    public String printable() {
        if (!multiLine) {
            return Text.escapeControl(getMessage());
        }
        StringBuilder sb = new StringBuilder();
        for (String line : getMessage().split("\r?\n", -1)) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(Text.escapeControl(line));
        }
        return sb.toString();
    }
}
