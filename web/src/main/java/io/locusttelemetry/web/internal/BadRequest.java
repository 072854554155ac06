package io.locusttelemetry.web.internal;

/** A request the web UI refuses with 400 and this one-line message; the running test is not touched. */
public final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRequest(String message) {
        super(message, null, false, false);
    }
}
