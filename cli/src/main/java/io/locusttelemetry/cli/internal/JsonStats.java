package io.locusttelemetry.cli.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.StatsComparison;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import io.locusttelemetry.engine.stats.TimeDistribution;
import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code --json} and {@code --json-file}: the final statistics as a JSON array of Locust's serialised
 * entries. With thresholds or a baseline, {@code --json} prints an object instead:
 * {@code {"stats": [...], "thresholds": [...], "comparison": [...], "regressions": [...]}}.
 */
public final class JsonStats {
    private JsonStats() {}

    /** Locust's array of entries. */
    public static String render(StatsSnapshot stats) {
        return write(g -> entries(g, stats));
    }

    /** The array of entries, or with thresholds or a comparison the object with all of them. */
    public static String render(StatsSnapshot stats, Verdict verdict) {
        if (verdict.isEmpty()) {
            return render(stats);
        }
        return write(g -> {
            g.writeStartObject();
            g.writeFieldName("stats");
            entries(g, stats);
            g.writeBooleanField("passed", verdict.passed());
            g.writeArrayFieldStart("thresholds");
            for (ThresholdOutcome o : verdict.thresholds()) {
                g.writeStartObject();
                g.writeStringField("threshold", o.threshold().text());
                g.writeStringField("endpoint", o.threshold().endpoint() == null ? "Aggregated" : o.threshold().endpoint());
                g.writeStringField("metric", o.threshold().metric().name());
                g.writeStringField("comparison", o.threshold().comparison().symbol());
                g.writeNumberField("limit", o.threshold().limit());
                number(g, "measured", o.measured());
                g.writeBooleanField("passed", o.passed());
                number(g, "margin", o.margin());
                number(g, "margin_percent", o.marginPercent());
                if (o.problem() != null) {
                    g.writeStringField("problem", o.problem());
                }
                g.writeBooleanField("aborted_test", verdict.stopped(o));
                g.writeEndObject();
            }
            g.writeEndArray();
            if (verdict.comparison() != null) {
                g.writeArrayFieldStart("comparison");
                for (StatsComparison.Row row : verdict.comparison().rows()) {
                    comparisonRow(g, row);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("regressions");
                for (StatsComparison.Regression r : verdict.regressions()) {
                    g.writeStartObject();
                    g.writeStringField("endpoint", r.row().label());
                    g.writeStringField("metric", r.metric());
                    g.writeNumberField("baseline", r.baseline());
                    g.writeNumberField("current", r.current());
                    number(g, "change_percent", r.changePercent());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    private static void comparisonRow(JsonGenerator g, StatsComparison.Row row) throws IOException {
        g.writeStartObject();
        g.writeStringField("method", row.method());
        g.writeStringField("name", row.name());
        values(g, "baseline", row.baseline());
        values(g, "current", row.current());
        g.writeObjectFieldStart("change_percent");
        change(g, row, "p50", StatsComparison.Values::p50);
        change(g, row, "p95", StatsComparison.Values::p95);
        change(g, row, "p99", StatsComparison.Values::p99);
        change(g, row, "rps", StatsComparison.Values::rps);
        change(g, row, "fail_ratio", StatsComparison.Values::failRatio);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void values(JsonGenerator g, String field, StatsComparison.Values v) throws IOException {
        if (v == null) {
            g.writeNullField(field);
            return;
        }
        g.writeObjectFieldStart(field);
        g.writeNumberField("requests", v.requests());
        g.writeNumberField("p50", v.p50());
        g.writeNumberField("p95", v.p95());
        g.writeNumberField("p99", v.p99());
        g.writeNumberField("rps", v.rps());
        g.writeNumberField("fail_ratio", v.failRatio());
        g.writeEndObject();
    }

    private static void change(JsonGenerator g, StatsComparison.Row row, String field, ToDoubleFunction<StatsComparison.Values> value)
            throws IOException {
        number(g, field, row.changePercent(value));
    }

    private static void number(JsonGenerator g, String field, Double v) throws IOException {
        if (v == null || !Double.isFinite(v)) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, v);
        }
    }

    private static void entries(JsonGenerator g, StatsSnapshot stats) throws IOException {
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
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            body.write(g);
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
