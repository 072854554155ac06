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
        /** Length of a version 00 {@code traceparent} value. */
        int TRACEPARENT_LENGTH = 55;

        void set(String name, String value);

        /**
         * Adds the W3C {@code traceparent} header, version 00, from the ids of the trace and of
         * the parent span. The engine's HTTP client writes it straight into the request; any other
         * sink gets the text through {@link #set}.
         */
        default void traceparent(long traceIdHigh, long traceIdLow, long parentSpanId, boolean sampled) {
            byte[] value = new byte[TRACEPARENT_LENGTH];
            writeTraceparent(value, 0, traceIdHigh, traceIdLow, parentSpanId, sampled);
            set("traceparent", new String(value, java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        /**
         * Writes {@code 00-<trace id>-<parent id>-<flags>} ({@link #TRACEPARENT_LENGTH} bytes, lower
         * case hex) into {@code dst} at {@code offset}.
         */
        static void writeTraceparent(byte[] dst, int offset, long traceIdHigh, long traceIdLow, long parentSpanId,
                                     boolean sampled) {
            dst[offset] = '0';
            dst[offset + 1] = '0';
            dst[offset + 2] = '-';
            hex16(traceIdHigh, dst, offset + 3);
            hex16(traceIdLow, dst, offset + 19);
            dst[offset + 35] = '-';
            hex16(parentSpanId, dst, offset + 36);
            dst[offset + 52] = '-';
            dst[offset + 53] = '0';
            dst[offset + 54] = (byte) (sampled ? '1' : '0');
        }

        private static void hex16(long v, byte[] dst, int at) {
            for (int i = 15; i >= 0; i--) {
                int d = (int) (v & 0xF);
                // branch-free: random ids make "d < 10" a coin toss for the branch predictor
                dst[at + i] = (byte) ('0' + d + ((9 - d) >> 31 & ('a' - '0' - 10)));
                v >>>= 4;
            }
        }
    }
}
