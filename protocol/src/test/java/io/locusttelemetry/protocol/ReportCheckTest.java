package io.locusttelemetry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a master accepts: every report real Locust workers sent (captured), every report a model of
 * a worker produces, and none of those with one value made impossible.
 */
class ReportCheckTest {
    private static final double NOW = 1_795_303_800.0;

    @Test
    void everyCapturedWorkerMessageIsAccepted() throws Exception {
        int checked = 0;
        for (Vectors.Vector v : Vectors.all()) {
            if (!v.fromWorker()) {
                continue;
            }
            Message m = v.decode();
            String problem = switch (m.type()) {
                case MessageTypes.STATS -> ReportCheck.stats(m.data(), capturedAt(m.data()));
                case MessageTypes.HEARTBEAT -> ReportCheck.heartbeat(m.data());
                case MessageTypes.SPAWNING_COMPLETE -> ReportCheck.spawningComplete(m.data());
                default -> null;
            };
            assertThat(problem).as(v.toString()).isNull();
            checked += switch (m.type()) {
                case MessageTypes.STATS, MessageTypes.HEARTBEAT, MessageTypes.SPAWNING_COMPLETE -> 1;
                default -> 0;
            };
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }

    /** The capture's own clock: its total's start time. */
    private static double capturedAt(Object data) {
        Object start = ((Map<?, ?>) ((Map<?, ?>) data).get("stats_total")).get("start_time");
        return ((Number) start).doubleValue();
    }

    @Test
    void reportsOfAModelWorkerAreAccepted() {
        Random rnd = new Random(1);
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> report = report(rnd);
            assertThat(ReportCheck.stats(report, NOW)).as("%s", report).isNull();
        }
    }

    /** 20,000 reports, each with one value made impossible in a random row: each is refused, with a reason. */
    @Test
    void anyOneImpossibleValueRefusesTheReport() {
        Random rnd = new Random(2);
        List<Mutation> mutations = mutations();
        Map<String, Integer> refusedBy = new LinkedHashMap<>();
        for (int i = 0; i < 20_000; i++) {
            Map<String, Object> report = report(rnd);
            Mutation m = mutations.get(rnd.nextInt(mutations.size()));
            m.apply(report, rnd);
            String problem = ReportCheck.stats(report, NOW);
            assertThat(problem).as("%s on %s", m.name, report).isNotNull();
            refusedBy.merge(m.name, 1, Integer::sum);
        }
        assertThat(refusedBy).hasSize(mutations.size());
    }

    @Test
    void heartbeatsWithImpossibleFiguresAreRefused() {
        assertThat(ReportCheck.heartbeat(heartbeat("running", 12.5, 1_000_000L))).isNull();
        assertThat(ReportCheck.heartbeat(heartbeat("ready", 0L, null))).isNull();
        for (Object cpu : new Object[] {Double.NaN, Double.POSITIVE_INFINITY, -1.0, 1e12, "5", true}) {
            assertThat(ReportCheck.heartbeat(heartbeat("running", cpu, 1L))).as("cpu %s", cpu).isNotNull();
        }
        for (Object memory : new Object[] {-1L, 1e30, Double.NaN, "x", BigInteger.TWO.pow(64)}) {
            assertThat(ReportCheck.heartbeat(heartbeat("running", 1.0, memory))).as("memory %s", memory).isNotNull();
        }
        for (Object state : new Object[] {"missing", "exploded", "", 3L, null}) {
            assertThat(ReportCheck.heartbeat(heartbeat(state, 1.0, 1L))).as("state %s", state).isNotNull();
        }
        assertThat(ReportCheck.spawningComplete(Map.of("user_classes_count", Map.of("U", -3L)))).isNotNull();
        assertThat(ReportCheck.spawningComplete(Map.of("user_classes_count", Map.of("U", 3L), "user_count", 3L))).isNull();
    }

    private static Map<String, Object> heartbeat(Object state, Object cpu, Object memory) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("state", state);
        d.put("current_cpu_usage", cpu);
        if (memory != null) {
            d.put("current_memory_usage", memory);
        }
        return d;
    }

    // ---- a model worker's reports ----------------------------------------------------------------

    static Map<String, Object> report(Random rnd) {
        List<Object> rows = new ArrayList<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            rows.add(entry(rnd, "/page/" + i, "GET"));
        }
        Map<String, Object> errors = new LinkedHashMap<>();
        if (rnd.nextBoolean()) {
            errors.put("abc" + rnd.nextInt(10), new LinkedHashMap<>(Map.of("name", "/page/0", "method", "GET",
                    "error", "HTTPError('500')", "occurrences", (long) rnd.nextInt(5))));
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("stats", rows);
        d.put("stats_total", entry(rnd, "Aggregated", rnd.nextBoolean() ? "" : null));
        d.put("errors", errors);
        d.put("user_classes_count", new LinkedHashMap<>(Map.of("WebUser", (long) rnd.nextInt(100))));
        d.put("user_count", (long) rnd.nextInt(100));
        return d;
    }

    /** A row as a worker's StatsEntry serializes it: timed requests in the histogram, failures among the requests. */
    static Map<String, Object> entry(Random rnd, String name, String method) {
        int timed = rnd.nextInt(50);
        int none = rnd.nextInt(3);
        int requests = timed + none;
        int failures = requests == 0 ? 0 : rnd.nextInt(requests + 1);
        Map<Object, Object> histogram = new LinkedHashMap<>();
        double total = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < timed; i++) {
            double ms = rnd.nextInt(4) == 0 ? 100 + rnd.nextInt(20_000) : rnd.nextDouble() * 100;
            long key = ms < 100 ? Math.round(ms) : ms < 1000 ? Math.round(ms / 10) * 10 : Math.round(ms / 100) * 100;
            // 2.12.1 sends float keys above 100 ms for fractional timings
            Object k = key >= 100 && rnd.nextBoolean() ? (Object) (double) key : (Object) key;
            histogram.merge(k, 1L, (a, b) -> (Long) a + (Long) b);
            total += ms;
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        long second = (long) NOW - rnd.nextInt(3);
        Map<Object, Object> perSecond = new LinkedHashMap<>();
        if (requests > 0) {
            perSecond.put(second, (long) requests);
        }
        Map<Object, Object> failPerSecond = new LinkedHashMap<>();
        if (failures > 0) {
            failPerSecond.put(second, (long) failures);
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("method", method);
        e.put("last_request_timestamp", requests > 0 ? NOW - rnd.nextDouble() : null);
        e.put("start_time", NOW - 3 - rnd.nextDouble());
        e.put("num_requests", (long) requests);
        e.put("num_none_requests", (long) none);
        e.put("num_failures", (long) failures);
        e.put("total_response_time", rnd.nextBoolean() ? total : (Object) (long) total);
        e.put("max_response_time", max);
        e.put("min_response_time", timed > 0 ? min : null);
        e.put("total_content_length", (long) rnd.nextInt(100_000));
        e.put("response_times", histogram);
        e.put("num_reqs_per_sec", perSecond);
        e.put("num_fail_per_sec", failPerSecond);
        return e;
    }

    // ---- impossible values ----------------------------------------------------------------------

    private record Mutation(String name, java.util.function.BiConsumer<Map<String, Object>, Random> change) {
        void apply(Map<String, Object> report, Random rnd) {
            change.accept(report, rnd);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> someRow(Map<String, Object> report, Random rnd) {
        List<Object> rows = (List<Object>) report.get("stats");
        if (rows.isEmpty() || rnd.nextInt(3) == 0) {
            return (Map<String, Object>) report.get("stats_total");
        }
        return (Map<String, Object>) rows.get(rnd.nextInt(rows.size()));
    }

    private static Mutation onRow(String name, Consumer<Map<String, Object>> change) {
        return new Mutation(name, (report, rnd) -> change.accept(someRow(report, rnd)));
    }

    private static final Object[] NOT_COUNTS = {-1L, Long.MIN_VALUE, -0.5, 1.5, Double.NaN, Double.POSITIVE_INFINITY,
        1e13, ReportCheck.MAX_COUNT + 1, BigInteger.TWO.pow(64), "12", true, List.of(1L)};
    private static final Object[] NOT_TIMES = {-1.0, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1e10,
        "3.5", false};

    @SuppressWarnings("unchecked")
    private static List<Mutation> mutations() {
        List<Mutation> out = new ArrayList<>();
        for (String key : List.of("num_requests", "num_none_requests", "num_failures", "total_content_length")) {
            out.add(new Mutation(key + " not a count", (r, rnd) -> someRow(r, rnd).put(key, NOT_COUNTS[rnd.nextInt(NOT_COUNTS.length)])));
        }
        out.add(onRow("more failures than requests", e -> e.put("num_failures", (Long) e.get("num_requests") + 1)));
        out.add(onRow("more untimed than requests", e -> {
            e.put("num_none_requests", (Long) e.get("num_requests") + 1);
        }));
        out.add(onRow("one request more than the histogram", e -> e.put("num_requests", (Long) e.get("num_requests") + 1)));
        out.add(onRow("one bucket more than the requests", e -> ((Map<Object, Object>) e.get("response_times"))
                .merge(7L, 1L, (a, b) -> (Long) a + (Long) b)));
        out.add(new Mutation("bucket not a count", (r, rnd) -> ((Map<Object, Object>) someRow(r, rnd).get("response_times"))
                .put(3L, NOT_COUNTS[rnd.nextInt(NOT_COUNTS.length)])));
        out.add(new Mutation("impossible bucket", (r, rnd) -> {
            Object[] keys = {-5L, Double.NaN, 2e9, "7", true};
            ((Map<Object, Object>) someRow(r, rnd).get("response_times")).put(keys[rnd.nextInt(keys.length)], 0L);
        }));
        for (String key : List.of("max_response_time", "min_response_time")) {
            out.add(new Mutation(key + " impossible", (r, rnd) -> someRow(r, rnd).put(key, NOT_TIMES[rnd.nextInt(NOT_TIMES.length)])));
        }
        // a sum of response times may be large, not negative or infinite
        out.add(new Mutation("total_response_time impossible", (r, rnd) -> someRow(r, rnd).put("total_response_time",
                NOT_TIMES[rnd.nextInt(NOT_TIMES.length - 1) % 4])));
        out.add(onRow("minimum above maximum", e -> {
            e.put("max_response_time", 10.0);
            e.put("min_response_time", 11.0);
        }));
        for (String key : List.of("start_time", "last_request_timestamp")) {
            out.add(new Mutation(key + " far off", (r, rnd) -> someRow(r, rnd).put(key,
                    rnd.nextBoolean() ? NOW + 2 * 86_400 : rnd.nextBoolean() ? NOW - 3 * 86_400 : Double.NaN)));
        }
        for (String key : List.of("num_reqs_per_sec", "num_fail_per_sec")) {
            out.add(new Mutation(key + " second far off", (r, rnd) -> ((Map<Object, Object>) someRow(r, rnd).get(key))
                    .put((long) NOW + (rnd.nextBoolean() ? 1 : -1) * 200_000L, 0L)));
            out.add(new Mutation(key + " count impossible", (r, rnd) -> ((Map<Object, Object>) someRow(r, rnd).get(key))
                    .put((long) NOW, NOT_COUNTS[rnd.nextInt(NOT_COUNTS.length)])));
        }
        out.add(new Mutation("name not text", (r, rnd) -> someRow(r, rnd).put("name", rnd.nextBoolean() ? 42L : null)));
        out.add(onRow("name absurdly long", e -> e.put("name", "x".repeat(ReportCheck.MAX_NAME_CHARS + 1))));
        out.add(onRow("method not text", e -> e.put("method", List.of())));
        out.add(onRow("histogram not a map", e -> e.put("response_times", List.of(1L))));
        out.add(new Mutation("row not a map", (r, rnd) -> ((List<Object>) r.get("stats")).add("row")));
        out.add(new Mutation("stats not a list", (r, rnd) -> r.put("stats", Map.of())));
        out.add(new Mutation("total not a map", (r, rnd) -> r.put("stats_total", rnd.nextBoolean() ? null : 5L)));
        List<Object> tooMany = java.util.Collections.nCopies(ReportCheck.MAX_ROWS + 1, entry(new Random(3), "/x", "GET"));
        out.add(new Mutation("too many rows", (r, rnd) -> r.put("stats", tooMany)));
        out.add(new Mutation("error occurrences impossible", (r, rnd) -> ((Map<String, Object>) r.get("errors"))
                .put("k", new LinkedHashMap<>(Map.of("name", "/x", "method", "GET", "error", "e",
                        "occurrences", NOT_COUNTS[rnd.nextInt(NOT_COUNTS.length)])))));
        out.add(new Mutation("error text missing", (r, rnd) -> ((Map<String, Object>) r.get("errors"))
                .put("k", new LinkedHashMap<>(Map.of("name", "/x", "method", "GET", "occurrences", 1L)))));
        out.add(new Mutation("user count impossible", (r, rnd) -> ((Map<String, Object>) r.get("user_classes_count"))
                .put("WebUser", NOT_COUNTS[rnd.nextInt(NOT_COUNTS.length)])));
        out.add(new Mutation("user_count impossible", (r, rnd) -> r.put("user_count", NOT_COUNTS[rnd.nextInt(NOT_COUNTS.length)])));
        return out;
    }
}
