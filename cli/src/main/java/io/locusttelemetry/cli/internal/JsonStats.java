package io.locusttelemetry.cli.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.stats.TimeDistribution;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

/** {@code --json}: the final statistics as a JSON array of Locust's serialised entries. */
public final class JsonStats {
    private JsonStats() {}

    public static String render(StatsSnapshot stats) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (EntrySnapshot e : stats.sortedEntries()) {
                g.writeStartObject();
                g.writeStringField("name", e.name());
                g.writeStringField("method", e.method());
                if (e.lastRequestTimestamp() == null) {
                    g.writeNullField("last_request_timestamp");
                } else {
                    g.writeNumberField("last_request_timestamp", e.lastRequestTimestamp());
                }
                g.writeNumberField("start_time", e.startTime());
                g.writeNumberField("num_requests", e.numRequests());
                g.writeNumberField("num_none_requests", e.numNoneRequests());
                g.writeNumberField("num_failures", e.numFailures());
                g.writeNumberField("total_response_time", e.totalResponseTime());
                g.writeNumberField("max_response_time", e.maxResponseTime());
                if (e.minResponseTime() == null) {
                    g.writeNullField("min_response_time");
                } else {
                    g.writeNumberField("min_response_time", e.minResponseTime());
                }
                g.writeNumberField("total_content_length", e.totalContentLength());
                g.writeObjectFieldStart("response_times");
                for (int i = 0; i < e.responseTimeKeys().length; i++) {
                    g.writeNumberField(String.valueOf(e.responseTimeKeys()[i]), e.responseTimeCounts()[i]);
                }
                g.writeEndObject();
                writeMap(g, "num_reqs_per_sec", e.numReqsPerSec());
                writeMap(g, "num_fail_per_sec", e.numFailPerSec());
                if (!e.intended().isEmpty()) {
                    writeIntended(g, e.intended());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** Beside Locust's keys, which a tool reading Locust's JSON ignores: the times from the intended start, as Locust's own fields. */
    private static void writeIntended(JsonGenerator g, TimeDistribution d) throws IOException {
        g.writeObjectFieldStart("intended_start");
        g.writeNumberField("num_requests", d.count());
        g.writeNumberField("total_response_time", d.totalMillis());
        g.writeNumberField("max_response_time", d.maxMillis());
        if (d.minMillis() == null) {
            g.writeNullField("min_response_time");
        } else {
            g.writeNumberField("min_response_time", d.minMillis());
        }
        g.writeObjectFieldStart("response_times");
        for (int i = 0; i < d.keys().length; i++) {
            g.writeNumberField(String.valueOf(d.keys()[i]), d.counts()[i]);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeMap(JsonGenerator g, String field, Map<Long, Long> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<Long, Long> en : map.entrySet()) {
            g.writeNumberField(String.valueOf(en.getKey()), en.getValue());
        }
        g.writeEndObject();
    }
}
