package io.locusttelemetry.protocol;

/**
 * A frame that is not a well-formed Locust message: malformed or truncated msgpack, trailing
 * bytes, a reserved or ext type, invalid UTF-8, or an envelope other than
 * {@code [str type, data, str node_id]}.
 *
 * <p>Peers answer such frames with {@code reconnect} addressed to the real sender, so the
 * exception is checked: every receive path has to decide what to do with it.
 */
public final class CorruptMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason short description of the defect, including the byte offset where useful
     */
    public CorruptMessageException(String reason) {
        super(reason);
    }
}
