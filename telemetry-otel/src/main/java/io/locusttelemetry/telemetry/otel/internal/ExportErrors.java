package io.locusttelemetry.telemetry.otel.internal;

import io.opentelemetry.exporter.internal.FailedExportException;
import java.io.IOException;

/**
 * What a failed export says, for the end-of-run warning: the collector's own answer when it gave
 * one (a gRPC status such as {@code UNAVAILABLE}, an HTTP status such as 503), else the cause (a
 * refused connection, a timeout). The OTLP exporters report these through their
 * {@code FailedExportException}, which is the SDK's internal type: if it changes, the plain cause is
 * still reported.
 */
final class ExportErrors {
    private static final String[] GRPC_CODES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

    private ExportErrors() {}

    /** The collector's answer ({@code UNAVAILABLE: overloaded}, {@code HTTP 503 Service Unavailable}), or null when it gave none. */
    static String collectorAnswer(Throwable t) {
        try {
            if (t instanceof FailedExportException.GrpcExportException g && g.failedWithResponse() && g.getResponse() != null) {
                int code = g.getResponse().grpcStatusValue();
                String name = code >= 0 && code < GRPC_CODES.length ? GRPC_CODES[code] : "status " + code;
                String description = g.getResponse().grpcStatusDescription();
                return oneLine(name + (description == null || description.isBlank() ? "" : ": " + description));
            }
            if (t instanceof FailedExportException.HttpExportException h && h.failedWithResponse() && h.getResponse() != null) {
                String message = h.getResponse().statusMessage();
                return oneLine("HTTP " + h.getResponse().statusCode() + (message == null || message.isBlank() ? "" : " " + message));
            }
        } catch (LinkageError e) {
            // the SDK's internal exception changed: describe() still names the cause
        }
        return null;
    }

    /** The innermost cause of a failure without a collector answer, e.g. {@code ConnectException: Failed to connect to ...}. */
    static String describe(Throwable t) {
        if (t == null) {
            return "the exporter reported a failure";
        }
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String m = cause.getMessage();
        return oneLine(cause.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m));
    }

    /** A call the exporter cancelled itself (at shutdown, or its own timeout): says nothing about the collector. */
    static boolean isCancellation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException && "Canceled".equalsIgnoreCase(String.valueOf(c.getMessage()))
                    || c instanceof java.util.concurrent.CancellationException || c instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
