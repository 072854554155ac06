package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.telemetry.TestMetadata;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The W3C {@code baggage} header of {@code --lt-otel-baggage}: {@code locust.run_id} and
 * {@code locust.testplan}, so that the system under test can tag its own telemetry with the run.
 * Made once per run; values are percent-encoded as the W3C format asks.
 */
final class BaggageHeader {
    static final String NAME = "baggage";

    private volatile TestMetadata forMetadata;
    private volatile String value;

    /** The header's value for this run, or null before the run's metadata is known. */
    String value(TestMetadata md) {
        if (md == null) {
            return null;
        }
        if (md != forMetadata) {
            String v = "locust.run_id=" + encode(md.runId()) + (md.testplan() == null || md.testplan().isEmpty() ? ""
                    : ",locust.testplan=" + encode(md.testplan()));
            value = v;
            forMetadata = md;
            return v;
        }
        return value;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
