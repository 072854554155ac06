package io.locusttelemetry.engine;

/**
 * Hook for tracing tasks and requests (a span per task, a child span per request). Installed on
 * the {@link Environment} by a telemetry plugin; when none is installed, the engine skips every
 * call, so tracing off costs a null check.
 */
public interface RequestTracer {

    /** A task starts on the user's thread. Returns a handle passed back to {@link #taskEnded}. */
    Object taskStarted(User user, String taskName);

    /** The task ended; {@code error} is null on success. */
    void taskEnded(Object task, Throwable error);

    /**
     * A request is about to be sent. {@code headers} adds headers to the outgoing request (for
     * {@code traceparent}). Returns a handle that arrives in {@link RequestEvent#trace()}.
     */
    Object requestStarted(Object task, String method, String name, String url, HeaderSink headers);

    /** Receives headers to add to an outgoing request. */
    @FunctionalInterface
    interface HeaderSink {
        void set(String name, String value);
    }
}
