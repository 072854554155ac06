package io.locusttelemetry.web.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.UrlRedaction;
import io.locusttelemetry.engine.stats.StatsHistory;
import io.locusttelemetry.telemetry.DeliveryReporting;
import io.locusttelemetry.telemetry.DeliveryStatus;
import io.locusttelemetry.telemetry.SampledRequest;
import io.locusttelemetry.telemetry.SampledRequests;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.telemetry.TestMetadata;
import io.locusttelemetry.web.WebSettings;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the web UI shows beyond Locust's routes: the start form's fields ({@code /ui/setup}) and,
 * every 2 s, the chart points since the last poll and the telemetry beside the stats
 * ({@code /ui/live}): run id and testplan, the recorders and whether their exports are delivered,
 * the Grafana link of this run and the slowest traced requests of the last minute.
 */
public final class UiJson {
    static final int SLOWEST = 10;
    static final String DASHBOARD_PATH = "/d/jlocust-otel/jlocust-opentelemetry";

    private UiJson() {}

    /** The start form: classes with weights, defaults, the options the form sets, the version. */
    public static String setup(Environment env, TestControl control, List<OptionSpec> formOptions, Map<String, Object> defaults,
            String locustfile, String version) {
        return Json.render(g -> {
            g.writeStartObject();
            g.writeStringField("version", version);
            g.writeStringField("locustfile", locustfile);
            g.writeStringField("role", env.runner().role().className());
            g.writeBooleanField("shape", env.shape() != null);
            g.writeStringField("host", env.host() == null ? "" : UrlRedaction.redact(env.host()));
            for (Map.Entry<String, Object> d : defaults.entrySet()) {
                g.writeStringField(d.getKey(), d.getValue() == null ? "" : String.valueOf(d.getValue()));
            }
            g.writeObjectFieldStart("user_classes");
            Map<String, Integer> chosen = control.weights();
            for (Map.Entry<String, Integer> c : TestControl.declaredWeights(env).entrySet()) {
                g.writeObjectFieldStart(c.getKey());
                g.writeNumberField("weight", chosen.getOrDefault(c.getKey(), c.getValue()));
                g.writeBooleanField("selected", chosen.containsKey(c.getKey()));
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeArrayFieldStart("options");
            for (OptionSpec o : formOptions) {
                g.writeStartObject();
                g.writeStringField("name", o.dest());
                g.writeStringField("flag", o.names().get(0));
                g.writeStringField("help", o.help());
                g.writeStringField("type", o.type().getSimpleName());
                Object v = env.parsedOptions().get(o.dest());
                g.writeStringField("value", v == null ? "" : v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                        : String.valueOf(v));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The chart points after {@code since} (a Unix second), and the telemetry panel. */
    public static String live(Environment env, TestControl control, TelemetryCoordinator telemetry, WebSettings settings, long since) {
        return Json.render(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("history");
            for (StatsHistory.Point p : env.statsHistory().points()) {
                if (p.timestamp() > since) {
                    g.writeStartArray();
                    g.writeNumber(p.timestamp());
                    g.writeNumber(p.userCount());
                    g.writeNumber(Math.round(p.currentRps() * 100) / 100.0);
                    g.writeNumber(Math.round(p.currentFailPerSec() * 100) / 100.0);
                    g.writeNumber(p.totalRequests() == 0 ? 0 : p.currentPercentile(0.5));
                    g.writeNumber(p.totalRequests() == 0 ? 0 : p.currentPercentile(0.95));
                    g.writeBoolean(p.generatorSaturated());
                    g.writeEndArray();
                }
            }
            g.writeEndArray();
            Runner runner = env.runner();
            g.writeStringField("state", runner.state().wireName());
            g.writeNumberField("target_user_count", runner.targetUserCount());
            g.writeNumberField("exception_count", runner.exceptions().size());
            g.writeNumberField("test_started", control.testStartedMillis());
            g.writeNumberField("test_stopped", control.testStoppedMillis());
            if (control.runTimeSeconds() != null) {
                g.writeNumberField("run_time", control.runTimeSeconds());
            }
            telemetry(g, telemetry, settings, control);
            g.writeEndObject();
        });
    }

    private static void telemetry(JsonGenerator g, TelemetryCoordinator telemetry, WebSettings settings, TestControl control)
            throws IOException {
        g.writeObjectFieldStart("telemetry");
        TestMetadata md = telemetry == null ? null : telemetry.current();
        boolean on = telemetry != null && telemetry.isInitialized() && telemetry.settings().enabled();
        g.writeBooleanField("enabled", on);
        if (md != null) {
            g.writeStringField("run_id", md.runId());
            g.writeStringField("testplan", md.testplan());
        }
        g.writeArrayFieldStart("recorders");
        List<TelemetryBaseRecorder> recorders = telemetry == null ? List.of() : telemetry.recorders();
        for (TelemetryBaseRecorder r : recorders) {
            if (r instanceof DeliveryReporting d) {
                DeliveryStatus s = d.deliveryStatus();
                g.writeStartObject();
                g.writeStringField("name", s.recorder());
                g.writeStringField("target", s.target() == null ? "" : UrlRedaction.redact(s.target()));
                g.writeStringField("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
                g.writeNumberField("delivered", s.delivered());
                g.writeNumberField("failed", s.failed());
                if (s.detail() != null) {
                    g.writeStringField("detail", s.detail());
                }
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        if (settings.grafanaUrl() != null && md != null && control.testStartedMillis() > 0) {
            long to = control.testStoppedMillis() > 0 ? control.testStoppedMillis() + 60_000 : 0;
            g.writeStringField("grafana", grafanaLink(settings.grafanaUrl(), md.runId(), md.testplan(), control.testStartedMillis() - 60_000, to));
        }
        g.writeArrayFieldStart("slowest");
        for (TelemetryBaseRecorder r : recorders) {
            if (r instanceof SampledRequests s) {
                for (SampledRequest q : s.slowest(Duration.ofMinutes(1), SLOWEST)) {
                    g.writeStartObject();
                    g.writeNumberField("time", q.timestampMillis());
                    g.writeStringField("method", q.method());
                    g.writeStringField("name", q.name());
                    Json.number(g, "response_time", q.responseTime());
                    g.writeStringField("trace_id", q.traceId());
                    g.writeBooleanField("failed", q.failed());
                    if (settings.traceUrlTemplate() != null) {
                        g.writeStringField("link", settings.traceUrlTemplate().replace("{trace_id}", q.traceId()));
                    }
                    g.writeEndObject();
                }
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The shipped OpenTelemetry dashboard for {@code runId}, over the test's time (open-ended while it runs). */
    static String grafanaLink(String base, String runId, String testplan, long fromMillis, long toMillis) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return b + DASHBOARD_PATH + "?from=" + fromMillis + "&to=" + (toMillis > 0 ? String.valueOf(toMillis) : "now")
                + (testplan == null ? "" : "&var-testplan=" + URLEncoder.encode(testplan, StandardCharsets.UTF_8))
                + "&var-run_id=" + URLEncoder.encode(runId, StandardCharsets.UTF_8) + (toMillis > 0 ? "" : "&refresh=5s");
    }
}
