package io.locusttelemetry.engine;

import java.util.Map;

/**
 * One finished request, as Locust's {@code request} event carries it. Fired inline on the user's
 * thread; listeners must be quick and must not block.
 *
 * @param requestType     HTTP method or a custom type such as {@code "grpc"}
 * @param name            the name requests are grouped under in statistics
 * @param responseTime    milliseconds, or {@code Double.NaN} when there was none
 * @param responseLength  response body size in bytes
 * @param statusCode      HTTP status, or 0 when no response was received (or not HTTP)
 * @param failure         why the request failed, or null on success
 * @param startTime       epoch milliseconds when the request started
 * @param url             the full URL, or null when not HTTP
 * @param context         free-form context from the user (Locust's {@code context})
 * @param user            the user that made the request, or null
 * @param trace           opaque handle of a request span when tracing is on, else null
 */
public record RequestEvent(
        String requestType,
        String name,
        double responseTime,
        long responseLength,
        int statusCode,
        Failure failure,
        long startTime,
        String url,
        Map<String, Object> context,
        User user,
        Object trace) {

    public boolean isSuccess() {
        return failure == null;
    }

    /**
     * Why a request failed.
     *
     * @param type    short error type, e.g. {@code HTTPError} or {@code java.net.ConnectException}
     * @param message the text shown in the error table
     */
    public record Failure(String type, String message, Throwable cause) {
        /**
         * The message of a request that was sent before its user was killed and had not ended when
         * its grace was over: the target got it, its outcome is unknown.
         */
        public static final String INTERRUPTED_BY_STOP = "interrupted by stop";

        /** The failure of a request the stop cut ({@link #INTERRUPTED_BY_STOP}). */
        public static Failure interruptedByStop() {
            return new Failure("StopUser", INTERRUPTED_BY_STOP, null);
        }

        public static Failure of(String message) {
            return new Failure("CatchResponseError", message, null);
        }

        public static Failure of(Throwable cause) {
            String msg = cause.getMessage();
            String type = cause.getClass().getSimpleName();
            return new Failure(cause.getClass().getName(), msg == null ? type + "()" : type + "('" + msg + "')", cause);
        }

        @Override
        public String toString() {
            return message;
        }
    }
}
