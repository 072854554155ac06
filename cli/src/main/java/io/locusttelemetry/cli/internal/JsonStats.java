package io.locusttelemetry.cli.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
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
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static void writeMap(JsonGenerator g, String field, Map<Long, Long> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<Long, Long> en : map.entrySet()) {
            g.writeNumberField(String.valueOf(en.getKey()), en.getValue());
        }
        g.writeEndObject();
    }
}
