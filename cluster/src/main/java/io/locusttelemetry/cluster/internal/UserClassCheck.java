package io.locusttelemetry.cluster.internal;

import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.RequestStats;
import io.locusttelemetry.protocol.StatsError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Workers that are given users of a class their locustfile does not have. Both sides report it
 * as the same failure row, {@code SPAWN <class>: worker <node id> has no user class '<class>'},
 * so that it shows in every master's error report and makes its exit code non-zero (a Python
 * master's too): a jlocust worker puts it in its next report; a jlocust master adds it itself when
 * a worker's reported user classes (all of its classes, as Locust's and jlocust's workers list
 * them) lack a class it was given users of, which is how it learns it of a Python worker. The
 * master counts the row once per worker and class, whichever side reports it first.
 *
 * <p>Its own monitor guards it (a leaf lock).
 */
public final class UserClassCheck {
    /** The method of the failure row. */
    public static final String METHOD = "SPAWN";

    private final Map<String, Set<String>> given = new HashMap<>();
    private final Map<String, Set<String>> noted = new HashMap<>();

    /** The failure's text. */
    public static String error(String nodeId, String className) {
        return "worker " + nodeId + " has no user class '" + className + "'";
    }

    /** The failure row, as a worker's statistics or a master's take it. */
    public static ErrorSnapshot row(String nodeId, String className) {
        double now = RequestStats.nowMicros() / 1e6;
        return new ErrorSnapshot(METHOD, className, error(nodeId, className), 1, now, now);
    }

    /** The class a received failure row says worker {@code nodeId} lacks, or null when it is another failure. */
    public static String classReportedMissing(StatsError e, String nodeId) {
        return METHOD.equals(e.method()) && e.name() != null && error(nodeId, e.name()).equals(e.error()) ? e.name() : null;
    }

    /** The worker (re)announced itself or left: it starts afresh. */
    public synchronized void reset(String id) {
        given.remove(id);
        noted.remove(id);
    }

    /** The worker was given these users; classes with users are remembered. */
    public synchronized void given(String id, Map<String, Integer> counts) {
        counts.forEach((cls, n) -> {
            if (n != null && n > 0) {
                given.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(cls);
            }
        });
    }

    /**
     * The classes the worker was given users of and does not list among {@code reported} (its
     * classes), not noted before; they are noted now. None when it reported no classes at all
     * (a worker that does not list them).
     */
    public synchronized List<String> missing(String id, Set<String> reported) {
        List<String> out = new ArrayList<>();
        if (reported.isEmpty()) {
            return out;
        }
        for (String cls : given.getOrDefault(id, Set.of())) {
            if (!reported.contains(cls) && noted.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(cls)) {
                out.add(cls);
            }
        }
        return out;
    }

    /** A worker's side: the classes it lacks, each logged once as an error and reported once per test. */
    public static final class OnWorker {
        private final Set<String> missing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final Set<String> reportedThisTest = java.util.concurrent.ConcurrentHashMap.newKeySet();

        /** A new test: its statistics are new, so the next miss is reported again. */
        public void newTest() {
            reportedThisTest.clear();
        }

        /** The master gave {@code users} users of {@code cls}, which this worker ({@code has} its classes) lacks. */
        public void missing(String nodeId, String cls, int users, java.util.Collection<String> has, RequestStats stats,
                org.slf4j.Logger log) {
            if (missing.add(cls)) {
                log.error("The master asked for {} users of class '{}', which this worker's locustfile does not have (its classes: {}): "
                        + "none of them run here, and this worker will exit with code 1", users, cls, has);
            }
            if (reportedThisTest.add(cls)) {
                stats.merge(List.of(), null, List.of(row(nodeId, cls)));
            }
        }

        /** Every class found missing so far. */
        public Set<String> classes() {
            return Set.copyOf(missing);
        }
    }

    /** Notes that the worker lacks {@code className}; true when that was not noted yet. */
    public synchronized boolean note(String id, String className) {
        return noted.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(className);
    }
}
