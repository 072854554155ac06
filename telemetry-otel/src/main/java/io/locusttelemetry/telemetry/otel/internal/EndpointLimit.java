package io.locusttelemetry.telemetry.otel.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request names that keep their own name in the OpenTelemetry output: the first
 * {@code --lt-otel-max-endpoints} distinct ones; later names are {@code other}, in the request
 * metrics' {@code endpoint} and in span names alike, with a warning at the first and a count at the end.
 */
public final class EndpointLimit {
    private static final Logger log = LoggerFactory.getLogger(EndpointLimit.class);
    /** Names beyond this many (past the limit) are not remembered; each lookup of one then misses the cache. */
    private static final int MAX_REMEMBERED_OVERFLOW_NAMES = 10_000;

    private final int maxEndpoints;
    private final ConcurrentHashMap<String, Boolean> admitted = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> overflowNames = new ConcurrentHashMap<>();
    private final LongAdder otherRequests = new LongAdder();
    private volatile boolean overflowWarned;

    public EndpointLimit(int maxEndpoints) {
        this.maxEndpoints = maxEndpoints;
    }

    /** Whether {@code name} keeps its own name (admitting it while there is room). */
    public boolean admit(String name) {
        if (admitted.containsKey(name)) {
            return true;
        }
        synchronized (admitted) {
            if (admitted.containsKey(name)) {
                return true;
            }
            if (admitted.size() < maxEndpoints) {
                admitted.put(name, Boolean.TRUE);
                return true;
            }
        }
        if (overflowNames.size() < MAX_REMEMBERED_OVERFLOW_NAMES) {
            overflowNames.putIfAbsent(name, Boolean.TRUE);
        }
        if (!overflowWarned) {
            overflowWarned = true;
            log.warn("More than {} distinct request names: '{}' and later new names are recorded as endpoint=\"other\" in the"
                    + " OpenTelemetry request metrics and span names (raise --lt-otel-max-endpoints, or group requests with name=...)",
                    maxEndpoints, name);
        }
        return false;
    }

    /** Counts a request recorded as {@code other}. */
    void countOther() {
        otherRequests.increment();
    }

    /** Distinct request names recorded as {@code other} (at most 10,000 are counted). */
    public int overflowNames() {
        return overflowNames.size();
    }

    /** Requests whose name was recorded as {@code other} in the metrics. */
    public long otherRequests() {
        return otherRequests.sum();
    }

    /** The end-of-run warning about {@code other}, or null. */
    public String overflowSummary() {
        int names = overflowNames.size();
        if (names == 0) {
            return null;
        }
        return (names >= MAX_REMEMBERED_OVERFLOW_NAMES ? "At least " : "") + names + " request names beyond --lt-otel-max-endpoints "
                + maxEndpoints + " were recorded as endpoint=\"other\" in the OpenTelemetry request metrics and span names";
    }
}
