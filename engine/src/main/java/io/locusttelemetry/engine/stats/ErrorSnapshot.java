package io.locusttelemetry.engine.stats;

/**
 * One row of the error table: failures of one (method, name) with the same error text.
 *
 * @param firstSeen Unix seconds of the first occurrence, or null when unknown
 * @param lastSeen  Unix seconds of the latest occurrence, or null when unknown
 */
public record ErrorSnapshot(String method, String name, String error, long occurrences, Double firstSeen, Double lastSeen) {

    /** The row as Locust prints it: {@code METHOD name: error}. */
    public String displayName() {
        return method + " " + name + ": " + error;
    }

    ErrorSnapshot minus(ErrorSnapshot previous) {
        if (previous == null) {
            return this;
        }
        return new ErrorSnapshot(method, name, error, occurrences - previous.occurrences, firstSeen, lastSeen);
    }
}
