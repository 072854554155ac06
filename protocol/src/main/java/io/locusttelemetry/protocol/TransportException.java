package io.locusttelemetry.protocol;

/** A ZeroMQ socket could not be set up, for example because the bind address is in use. */
public final class TransportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message names the address involved. */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
