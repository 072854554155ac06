package io.locusttelemetry.telemetry.otel.internal;

import org.slf4j.LoggerFactory;

/**
 * What the tracer does beyond the head sampler's decision.
 *
 * @param keepErrors  export a dropped task's spans when one of its requests failed (or the task raised)
 * @param slowMillis  export them when one of its requests took longer than this; negative for never
 * @param baggage     add W3C {@code baggage} with {@code locust.run_id} and {@code locust.testplan}
 */
record TraceOptions(boolean keepErrors, double slowMillis, boolean baggage) {

    /** Whether some dropped traces are kept. */
    boolean keeps() {
        return keepErrors || slowMillis >= 0;
    }

    /**
     * The options of a run. Keeping traces needs the tracer to decide the head sampling itself (one of
     * the standard ratio samplers): with another sampler it is off, with a warning.
     */
    static TraceOptions of(OtelSettings s, double rootRatio) {
        boolean keepErrors = s.keepErrors();
        double slow = s.slowMillis() == null ? -1 : s.slowMillis();
        if ((keepErrors || slow >= 0) && Double.isNaN(rootRatio)) {
            LoggerFactory.getLogger(TraceOptions.class).warn("--lt-otel-traces-keep-errors and --lt-otel-traces-slow-ms need one of"
                    + " the standard samplers (traceidratio, always_on, always_off or their parentbased_ forms): ignored");
            keepErrors = false;
            slow = -1;
        }
        return new TraceOptions(keepErrors, slow, s.baggage());
    }
}
