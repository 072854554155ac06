package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.RequestEvent;

/**
 * {@code error.type} on spans and on {@code http.client.request.duration}, by the semantic
 * conventions for HTTP clients: the status code as a string when the response's status says the
 * request failed, else the exception's class, else {@code _OTHER} (a failure the test declared
 * itself, e.g. with {@code catchResponse}). The reference's metrics keep their own {@code error.type}.
 */
final class ErrorTypes {
    private static final String[] STATUS = new String[600];

    static {
        for (int i = 400; i < STATUS.length; i++) {
            STATUS[i] = Integer.toString(i);
        }
    }

    private ErrorTypes() {}

    /** The span's {@code error.type} of a failed request. */
    static String of(RequestEvent e) {
        RequestEvent.Failure f = e.failure();
        int status = e.statusCode();
        if (status >= 400) {
            return status < STATUS.length ? STATUS[status] : Integer.toString(status);
        }
        if (f != null && f.cause() != null) {
            return f.cause().getClass().getName();
        }
        return OtelNames.OTHER_ERROR_TYPE;
    }
}
