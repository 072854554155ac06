package io.locusttelemetry.telemetry;

/**
 * A request whose trace was exported (sampled, or kept because it failed or was slow), so that a
 * person can open it in a trace viewer.
 *
 * @param timestampMillis when it started, epoch milliseconds
 * @param method          the request type, e.g. {@code GET}
 * @param name            the request name as in the statistics
 * @param responseTime    milliseconds
 * @param traceId         32 lowercase hex characters
 * @param failed          whether the request failed
 */
public record SampledRequest(long timestampMillis, String method, String name, double responseTime, String traceId,
        boolean failed) {}
