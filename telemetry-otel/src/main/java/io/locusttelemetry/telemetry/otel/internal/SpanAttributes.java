package io.locusttelemetry.telemetry.otel.internal;

import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.telemetry.TestMetadata;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * The attributes and status of request and task spans, set on recording spans only. HTTP requests
 * follow the semantic conventions ({@code http.request.method}, {@code url.full},
 * {@code server.address}, {@code server.port}, {@code http.response.status_code}, {@code error.type});
 * other requests carry their type as {@code locust.request.type}. A failed request's span gets
 * status ERROR, {@code error.type} ({@link ErrorTypes}) and an {@code exception} event, and so does
 * the task span it ran in.
 */
final class SpanAttributes {
    private SpanAttributes() {}

    static void request(Span span, String method, String name, String url, TestMetadata md) {
        if (url != null) {
            if (method != null) {
                span.setAttribute(OtelNames.HTTP_REQUEST_METHOD, method);
            }
            UrlParts u = UrlParts.of(url);
            span.setAttribute(OtelNames.URL_FULL, u.redacted());
            if (u.host() != null) {
                span.setAttribute(OtelNames.SERVER_ADDRESS, u.host());
            }
            if (u.port() > 0) {
                span.setAttribute(OtelNames.SERVER_PORT, (long) u.port());
            }
        } else if (method != null) {
            span.setAttribute(OtelNames.LOCUST_REQUEST_TYPE, method);
        }
        span.setAttribute(OtelNames.LOCUST_REQUEST_NAME, name);
        run(span, md);
    }

    static void run(Span span, TestMetadata md) {
        if (md != null) {
            span.setAttribute(OtelNames.RUN_ID, md.runId());
            if (md.testplan() != null) {
                span.setAttribute(OtelNames.TESTPLAN, md.testplan());
            }
        }
    }

    /** The outcome of a request on its span: status code, user class, and for a failure status, error type and exception event. */
    static void outcome(Span span, RequestEvent e) {
        if (!span.isRecording()) {
            return;
        }
        if (e.statusCode() > 0) {
            span.setAttribute(OtelNames.HTTP_RESPONSE_STATUS_CODE, (long) e.statusCode());
        }
        if (e.user() != null) {
            span.setAttribute(OtelNames.LOCUST_USER_CLASS, e.user().getClass().getSimpleName());
        }
        RequestEvent.Failure failure = e.failure();
        if (failure != null) {
            String type = ErrorTypes.of(e);
            span.setAttribute(OtelNames.ERROR_TYPE, type);
            span.setStatus(StatusCode.ERROR, failure.message());
            exception(span, failure, type);
        }
    }

    /** The exception event of a failure: the exception itself when there is one, else its type and message. */
    static void exception(Span span, RequestEvent.Failure failure, String type) {
        if (failure.cause() != null) {
            span.recordException(failure.cause());
        } else {
            span.addEvent("exception", Attributes.of(OtelNames.EXCEPTION_TYPE, failure.type() == null ? type : failure.type(),
                    OtelNames.EXCEPTION_MESSAGE, String.valueOf(failure.message())));
        }
    }

    /** The task a failed request ran in failed too. */
    static void taskFailedBy(Span task, String requestSpanName) {
        if (task.isRecording()) {
            task.setStatus(StatusCode.ERROR, "request failed: " + requestSpanName);
        }
    }

    /** A task that raised: status ERROR, its class as {@code error.type}, the exception as event. */
    static void taskError(Span task, Throwable error) {
        if (task.isRecording()) {
            task.setAttribute(OtelNames.ERROR_TYPE, error.getClass().getName());
            task.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
            task.recordException(error);
        }
    }
}
