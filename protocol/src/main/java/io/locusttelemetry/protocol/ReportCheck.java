package io.locusttelemetry.protocol;

import io.locusttelemetry.protocol.internal.ValueChecks;
import io.locusttelemetry.protocol.internal.Values;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a master accepts from a worker it admitted (jlocust's master checks every message with
 * it): the values a Locust worker can produce, and nothing else. A message that fails is dropped
 * whole (merging part of a report would make its totals disagree with its rows) and counted; the
 * reason names the first impossible value.
 *
 * <p>A {@code stats} report is refused when a count is negative, not an integer or absurd (above
 * {@value #MAX_COUNT} in one report), when failures or requests without a response time outnumber
 * the requests, when the response-time histogram does not hold exactly the timed requests
 * ({@code num_requests - num_none_requests}: every Locust worker, and jlocust's, records each timed
 * request in it once), when a response time is negative, not finite or above
 * {@value #MAX_RESPONSE_MS} ms, when the minimum exceeds the maximum, when a timestamp or a
 * per-second key is more than {@value #CLOCK_WINDOW_S} s away from the master's clock, when a name
 * is longer than {@value #MAX_NAME_CHARS} characters, or when it has more than
 * {@value #MAX_ROWS} rows, errors or user classes. A {@code heartbeat} is refused for a state a
 * worker does not report, or a CPU or memory figure that is negative, not finite or absurd; a
 * {@code spawning_complete} for impossible user counts.
 *
 * <p>jlocust's own keys, when present, are checked as strictly: a row's {@link IntendedTimes#KEY} (as
 * its response times, the histogram holding exactly its count; read apart from the row, it may differ
 * from the row's count by a request or two) and the report's {@link IterationCounts#KEY}.
 *
 * <p>Keys a worker leaves out count as empty, as Locust's master reads them; unknown keys are
 * ignored.
 */
public final class ReportCheck {
    /** Largest count one report may carry (requests, failures, bytes, users): far above any real 3-second report. */
    public static final long MAX_COUNT = 1_000_000_000_000L;
    /** Largest response time (about 11.6 days). */
    public static final double MAX_RESPONSE_MS = 1e9;
    /** How far a report's timestamps may be from the master's clock. */
    public static final long CLOCK_WINDOW_S = 86_400;
    /** Longest request name, method or error text. */
    public static final int MAX_NAME_CHARS = 8192;
    /** Most rows, errors, histogram buckets, seconds or user classes in one report. */
    public static final int MAX_ROWS = 100_000;
    private static final double MAX_CPU_PERCENT = 1e6;
    private static final long MAX_MEMORY = 1L << 50;
    private static final Set<String> WORKER_STATES = Set.of(NodeState.READY, NodeState.SPAWNING, NodeState.RUNNING,
            NodeState.STOPPED, NodeState.STOPPING, NodeState.CLEANUP);

    private ReportCheck() {}

    /** The first reason a {@code stats} message's data is impossible, or null when it can be merged. */
    public static String stats(Object data, double nowSeconds) {
        if (!(data instanceof Map<?, ?> d)) {
            return "data is not a map";
        }
        Problem p = new Problem(nowSeconds);
        Object rows = d.get("stats");
        if (rows != null && !(rows instanceof List<?>)) {
            return "stats is not a list";
        }
        List<?> list = Values.list(rows);
        if (list.size() > MAX_ROWS) {
            return list.size() + " rows";
        }
        for (int i = 0; i < list.size() && p.reason() == null; i++) {
            p.entry(list.get(i), "stats[" + i + "]");
        }
        if (p.reason() == null) {
            p.entry(d.get("stats_total"), "stats_total");
        }
        if (p.reason() == null) {
            p.errors(d.get("errors"));
        }
        if (p.reason() == null) {
            p.userCounts(d.get("user_classes_count"), "user_classes_count");
        }
        if (p.reason() == null && d.containsKey("user_count")) {
            p.count(d.get("user_count"), "user_count", "");
        }
        if (p.reason() == null && d.get(IterationCounts.KEY) != null) {
            p.iterations(d.get(IterationCounts.KEY));
        }
        return p.reason();
    }

    /** The first reason a {@code heartbeat}'s data is impossible, or null. */
    public static String heartbeat(Object data) {
        if (!(data instanceof Map<?, ?> d)) {
            return "data is not a map";
        }
        if (!(d.get("state") instanceof String state) || !WORKER_STATES.contains(state)) {
            return "state " + shorten(d.get("state")) + " is not one a worker reports";
        }
        Problem p = new Problem(0);
        p.number(d.get("current_cpu_usage"), "current_cpu_usage", "", MAX_CPU_PERCENT);
        if (p.reason() == null && d.get("current_memory_usage") != null) {
            long memory = p.count(d.get("current_memory_usage"), "current_memory_usage", "");
            if (memory > MAX_MEMORY) {
                return "current_memory_usage " + memory + " is absurd";
            }
        }
        return p.reason();
    }

    /** The first reason a {@code spawning_complete}'s data is impossible, or null. */
    public static String spawningComplete(Object data) {
        if (!(data instanceof Map<?, ?> d)) {
            return "data is not a map";
        }
        Problem p = new Problem(0);
        p.userCounts(d.get("user_classes_count"), "user_classes_count");
        return p.reason();
    }

    /** A peer's value as a reason (or a log line) quotes it: at most 60 characters. */
    public static String shorten(Object v) {
        return ValueChecks.shorten(v);
    }

    /** The checks of a report's parts, over the checks of its values. */
    private static final class Problem extends ValueChecks {
        Problem(double now) {
            super(now);
        }

        void entry(Object data, String where) {
            if (!(data instanceof Map<?, ?> d)) {
                fail(where + " is not a map");
                return;
            }
            text(d.get("name"), where, ".name", false);
            text(d.get("method"), where, ".method", true);
            long requests = count(d.get("num_requests"), where, ".num_requests");
            long none = count(d.get("num_none_requests"), where, ".num_none_requests");
            long failures = count(d.get("num_failures"), where, ".num_failures");
            count(d.get("total_content_length"), where, ".total_content_length");
            if (failed()) {
                return;
            }
            if (failures > requests) {
                fail(where + " has " + failures + " failures in " + requests + " requests");
            } else if (none > requests) {
                fail(where + " has " + none + " requests without a response time in " + requests + " requests");
            }
            times(d, where);
            if (d.get("start_time") != null) {
                double start = number(d.get("start_time"), where, ".start_time", Double.MAX_VALUE);
                if (start != 0) {
                    clock(start, where, ".start_time");
                }
            }
            if (d.get("last_request_timestamp") != null) {
                clock(number(d.get("last_request_timestamp"), where, ".last_request_timestamp", Double.MAX_VALUE),
                        where, ".last_request_timestamp");
            }
            long timed = histogram(d.get("response_times"), where + ".response_times");
            if (!failed() && timed != requests - none) {
                fail(where + " has " + timed + " requests in its response-time histogram but " + (requests - none)
                        + " timed requests");
            }
            perSecond(d.get("num_reqs_per_sec"), where + ".num_reqs_per_sec");
            perSecond(d.get("num_fail_per_sec"), where + ".num_fail_per_sec");
            if (!failed() && d.get(IntendedTimes.KEY) != null) {
                intended(d.get(IntendedTimes.KEY), where + "." + IntendedTimes.KEY);
            }
        }

        /** A row's total, maximum and (when present) minimum response times. */
        void times(Map<?, ?> d, String where) {
            number(d.get("total_response_time"), where, ".total_response_time", MAX_RESPONSE_MS * MAX_COUNT);
            double max = number(d.get("max_response_time"), where, ".max_response_time", MAX_RESPONSE_MS);
            Object minValue = d.get("min_response_time");
            if (minValue != null) {
                double min = number(minValue, where, ".min_response_time", MAX_RESPONSE_MS);
                if (!failed() && min > max) {
                    fail(where + " has a minimum response time " + min + " above its maximum " + max);
                }
            }
        }

        void intended(Object data, String where) {
            if (!(data instanceof Map<?, ?> d)) {
                fail(where + " is not a map");
                return;
            }
            long requests = count(d.get("num_requests"), where, ".num_requests");
            times(d, where);
            long timed = histogram(d.get("response_times"), where + ".response_times");
            if (!failed() && timed != requests) {
                fail(where + " has " + timed + " times in its histogram but counts " + requests);
            }
        }

        void iterations(Object data) {
            if (!(data instanceof Map<?, ?> m)) {
                fail(IterationCounts.KEY + " is not a map");
                return;
            }
            if (m.size() > MAX_ROWS) {
                fail(IterationCounts.KEY + " has " + m.size() + " classes");
                return;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String where = IterationCounts.KEY + "[" + shorten(e.getKey()) + "]";
                if (!(e.getKey() instanceof String) || !(e.getValue() instanceof Map<?, ?> c)) {
                    fail(where + " is not a map under a class name");
                    return;
                }
                text(e.getKey(), where, " key", false);
                count(c.get("started"), where, ".started");
                count(c.get("dropped"), where, ".dropped");
                count(c.get("late"), where, ".late");
                if (failed()) {
                    return;
                }
            }
        }

        void errors(Object data) {
            if (data == null) {
                return;
            }
            if (!(data instanceof Map<?, ?> m)) {
                fail("errors is not a map");
                return;
            }
            if (m.size() > MAX_ROWS) {
                fail(m.size() + " errors");
                return;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String where = "errors[" + shorten(e.getKey()) + "]";
                if (!(e.getKey() instanceof String) || !(e.getValue() instanceof Map<?, ?> error)) {
                    fail(where + " is not a map under a string key");
                    return;
                }
                text(error.get("name"), where, ".name", false);
                text(error.get("method"), where, ".method", true);
                text(error.get("error"), where, ".error", false);
                count(error.get("occurrences"), where, ".occurrences");
                if (failed()) {
                    return;
                }
            }
        }

        void userCounts(Object data, String where) {
            if (data == null) {
                return;
            }
            if (!(data instanceof Map<?, ?> m)) {
                fail(where + " is not a map");
                return;
            }
            if (m.size() > MAX_ROWS) {
                fail(where + " has " + m.size() + " classes");
                return;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    fail(where + " has a key that is not a class name");
                    return;
                }
                text(e.getKey(), where, " key", false);
                count(e.getValue(), where, "[" + shorten(e.getKey()) + "]");
            }
        }
    }
}
