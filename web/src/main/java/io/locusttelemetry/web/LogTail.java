package io.locusttelemetry.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last log lines of this process, for the web UI's log view and Locust's {@code /logs}: the
 * command's logging appends every line it prints; at most {@value #LINES} are kept, as Locust keeps.
 */
public final class LogTail {
    public static final int LINES = 500;
    private static final int MAX_LINE = 4096;

    private final ArrayDeque<String> lines = new ArrayDeque<>(LINES);

    /** Appends one formatted line (a longer one is cut). */
    public synchronized void append(String line) {
        if (lines.size() == LINES) {
            lines.removeFirst();
        }
        lines.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line);
    }

    /** The kept lines, oldest first. */
    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }
}
