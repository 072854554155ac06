package io.locusttelemetry.telemetry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What identifies one test run in every record: {@code run_id}, {@code testplan}, plus the entries
 * plugins contribute through {@link TelemetryRecorderPluginBase#addTestMetadata()}. Created by the
 * master (or the local runner) at test start and sent to workers in the {@code set_metadata}
 * message.
 *
 * @param runId    8 lowercase hex characters, or the {@code --run-id} value
 * @param testplan the {@code --testplan} value
 * @param extra    plugin metadata (never contains {@code run_id} or {@code testplan})
 */
public record TestMetadata(String runId, String testplan, Map<String, Object> extra) {
    /** Name of the custom message that carries the metadata to workers. */
    public static final String MESSAGE_TYPE = "set_metadata";

    public TestMetadata {
        Objects.requireNonNull(runId, "runId");
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** The metadata as sent in {@code set_metadata}: {@code run_id}, {@code testplan}, then the plugins' entries. */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", runId);
        out.put("testplan", testplan);
        extra.forEach(out::putIfAbsent);
        return out;
    }

    /** Reads the metadata from a {@code set_metadata} message's data. */
    public static TestMetadata fromMap(Map<?, ?> data) {
        Object runId = data.get("run_id");
        if (runId == null) {
            throw new IllegalArgumentException("set_metadata without run_id: " + data);
        }
        Object testplan = data.get("testplan");
        Map<String, Object> extra = new LinkedHashMap<>();
        data.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (!key.equals("run_id") && !key.equals("testplan")) {
                extra.put(key, v);
            }
        });
        return new TestMetadata(String.valueOf(runId), testplan == null ? null : String.valueOf(testplan), extra);
    }
}
