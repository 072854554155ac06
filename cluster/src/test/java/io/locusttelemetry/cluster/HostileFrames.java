package io.locusttelemetry.cluster;

import io.locusttelemetry.protocol.Message;
import io.locusttelemetry.protocol.MessageCodec;
import io.locusttelemetry.testing.NestedFrames;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Frames a hostile peer sends posing as a worker, for every message type: valid shapes with hostile
 * values, truncations, containers nested up to 200,000 deep, spliced headers that lie about their
 * lengths or use ext types. For a peer the master admitted, the well-formed ones carry only values
 * no real worker can send, so none of them may be merged.
 */
final class HostileFrames {
    /** The types a worker sends, and custom ones (one a handler is registered for). */
    static final List<String> TYPES = List.of("client_ready", "heartbeat", "stats", "spawning", "spawning_complete",
            "client_stopped", "quit", "exception", "logs", "locustfile", "metadata_ack", "no_such_type");

    private static final Object[] NOT_COUNTS = {-1L, Long.MIN_VALUE, -0.5, 1.5, Double.NaN, Double.POSITIVE_INFINITY,
        1e13, 1_000_000_000_001L, BigInteger.TWO.pow(64).subtract(BigInteger.ONE), "12", true, List.of(1L), Map.of()};
    private static final Object[] ODD = {null, true, -1L, Long.MAX_VALUE, Double.NaN, Double.NEGATIVE_INFINITY, 1e308, "",
        "x".repeat(70_000), new byte[] {1, 2}, List.of(), Map.of(), List.of(List.of(List.of())), Map.of(1L, 2L)};
    private static final byte[][] NASTY = {
        hex("ddffffffff"), hex("dfffffffff"), hex("dbffffffff"), hex("c6ffffffff"), hex("dc7fff"), hex("c1"), hex("d401"),
        hex("c7ff01"), hex("cb"), hex("9f"), hex("8f"), hex("eda080"), hex("d9ffff")};

    private final Random rnd;
    private final String nodeId;
    private final boolean admitted;

    /** Frames from {@code nodeId}; {@code admitted}: the master took it in, so its well-formed values must all be impossible. */
    HostileFrames(long seed, String nodeId, boolean admitted) {
        this.rnd = new Random(seed);
        this.nodeId = nodeId;
        this.admitted = admitted;
    }

    /** One frame of {@code type}. */
    byte[] next(String type) {
        int kind = rnd.nextInt(10);
        if (kind < 4) {
            return MessageCodec.encode(new Message(type, hostileData(type), nodeId));
        }
        if (kind < 6) {
            byte[] whole = MessageCodec.encode(new Message(type, hostileData(type), nodeId));
            return Arrays.copyOf(whole, rnd.nextInt(whole.length));
        }
        if (kind < 8) {
            int depth = rnd.nextInt(50) == 0 ? 200_000 : 60 + rnd.nextInt(rnd.nextBoolean() ? 10 : 1000);
            return nested(type, depth, rnd.nextBoolean());
        }
        byte[] seed = MessageCodec.encode(new Message(type, hostileData(type), nodeId));
        byte[] h = NASTY[rnd.nextInt(NASTY.length)];
        int at = 1 + rnd.nextInt(seed.length - 1);
        byte[] f = new byte[seed.length + h.length];
        System.arraycopy(seed, 0, f, 0, at);
        System.arraycopy(h, 0, f, at, h.length);
        System.arraycopy(seed, at, f, at + h.length, seed.length - at);
        return f;
    }

    /** Whether the well-formed frames of {@code type} from this peer may leave the master's state alone (see the class doc). */
    static boolean safeForAdmitted(String type) {
        return !type.equals("client_ready") && !type.equals("client_stopped") && !type.equals("quit") && !type.equals("spawning");
    }

    byte[] nested(String type, int depth, boolean maps) {
        return NestedFrames.of(type, depth, maps, nodeId);
    }

    private Object odd() {
        return ODD[rnd.nextInt(ODD.length)];
    }

    private Object oddNonNull() {
        Object v = odd();
        return v == null ? 1L : v;
    }

    private Object notCount() {
        return NOT_COUNTS[rnd.nextInt(NOT_COUNTS.length)];
    }

    /** Data of the type's shape with hostile values; for an admitted peer, stats, heartbeats and spawning_complete are all impossible. */
    Object hostileData(String type) {
        return switch (type) {
            case "client_ready" -> {
                // never a version a master accepts (a valid one would be a real registration)
                Object[] versions = {null, false, 0L, 7L, -2L, 1.5, List.of("2.12.1"), Map.of("v", 1L), new byte[] {'2'}, Double.NaN};
                yield versions[rnd.nextInt(versions.length)];
            }
            case "heartbeat" -> {
                Map<String, Object> d = new LinkedHashMap<>();
                Object[] states = {"exploded", "missing", "", 3L, null, "running"};
                Object state = states[rnd.nextInt(states.length)];
                d.put("state", state);
                Object[] cpus = {Double.NaN, Double.POSITIVE_INFINITY, -1.0, 1e12, "5", 12.5};
                Object cpu = cpus[rnd.nextInt(cpus.length)];
                if ("running".equals(state) && Double.valueOf(12.5).equals(cpu)) {
                    cpu = -3.0;
                }
                d.put("current_cpu_usage", cpu);
                d.put("current_memory_usage", rnd.nextBoolean() ? notCount() : 1000L);
                yield d;
            }
            case "stats" -> impossibleStats();
            case "spawning_complete" -> Map.of("user_classes_count", Map.of("ClusterUser", notCount()), "user_count", 1L);
            case "exception" -> rnd.nextBoolean() ? Map.of("msg", oddNonNull(), "traceback", 2L)
                    : Map.of("msg", "boom " + rnd.nextInt(3), "traceback", "fuzz traceback " + rnd.nextInt(3));
            case "logs" -> Map.of("worker_id", nodeId, "logs", rnd.nextBoolean() ? List.of("x".repeat(rnd.nextInt(1000))) : "not a list");
            case "locustfile" -> rnd.nextBoolean() ? Map.of("version", oddNonNull()) : odd();
            default -> odd();
        };
    }

    /** A stats report with one impossible value somewhere. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> impossibleStats() {
        double now = System.currentTimeMillis() / 1000.0;
        long requests = 1 + rnd.nextInt(1_000_000);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", "/fuzz/" + rnd.nextInt(5));
        row.put("method", "GET");
        row.put("last_request_timestamp", now);
        row.put("start_time", now - 3);
        row.put("num_requests", requests);
        row.put("num_none_requests", 0L);
        row.put("num_failures", 0L);
        row.put("total_response_time", 5.0 * requests);
        row.put("max_response_time", 5.0);
        row.put("min_response_time", 5.0);
        row.put("total_content_length", 10L);
        row.put("response_times", new LinkedHashMap<>(Map.of(5L, requests)));
        row.put("num_reqs_per_sec", new LinkedHashMap<>(Map.of((long) now, requests)));
        row.put("num_fail_per_sec", new LinkedHashMap<>());
        switch (rnd.nextInt(12)) {
            case 0 -> row.put("num_requests", notCount());
            case 1 -> row.put("num_failures", requests + 1 + rnd.nextInt(1000));
            case 2 -> row.put("num_none_requests", requests + 1);
            case 3 -> row.put("num_requests", requests + 1 + rnd.nextInt(1000));
            case 4 -> ((Map<Object, Object>) row.get("response_times")).put(-5L, 1L);
            case 5 -> row.put("max_response_time", rnd.nextBoolean() ? Double.NaN : 1e12);
            case 6 -> row.put("min_response_time", Double.NEGATIVE_INFINITY);
            case 7 -> row.put("start_time", now + 5 * 86_400);
            case 8 -> ((Map<Object, Object>) row.get("num_reqs_per_sec")).put((long) now - 400_000, 1L);
            case 9 -> row.put("total_content_length", notCount());
            case 10 -> row.put("name", rnd.nextBoolean() ? 42L : "n".repeat(9000));
            default -> ((Map<Object, Object>) row.get("response_times")).put(7L, notCount());
        }
        Map<String, Object> d = new LinkedHashMap<>();
        List<Object> rows = new ArrayList<>();
        rows.add(row);
        boolean inTotal = rnd.nextBoolean();
        d.put("stats", inTotal ? List.of() : rows);
        d.put("stats_total", inTotal ? row : Map.of("name", "Aggregated", "method", "", "num_requests", 0L, "start_time", now));
        d.put("errors", Map.of());
        d.put("user_classes_count", Map.of("ClusterUser", 1L));
        d.put("user_count", 1L);
        return d;
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }
}
