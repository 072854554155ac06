package io.locusttelemetry.engine;

import java.util.Locale;

/** A runner's (or worker's) state, with Locust's names on the wire. */
public enum RunnerState {
    READY, SPAWNING, RUNNING, CLEANUP, STOPPING, STOPPED, MISSING;

    /** Locust's name, e.g. {@code "running"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses Locust's name; unknown names give null. */
    public static RunnerState fromWireName(String name) {
        for (RunnerState s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
