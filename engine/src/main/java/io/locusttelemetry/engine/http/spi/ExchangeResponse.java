package io.locusttelemetry.engine.http.spi;

import java.io.IOException;

/**
 * Where an exchanger hands a response over, on the user's thread, after it has arrived: first
 * {@link #status}, then each header, then {@link #body}. The session checks what a server sent
 * (a header value with a line break is refused) and throws IOException for what it refuses.
 */
public interface ExchangeResponse {
    /** The status and its standard reason phrase (HTTP/2 has none on the wire), e.g. {@code 404}, {@code Not Found}. */
    void status(int status, String reason) throws IOException;

    /** One response header as received. */
    void header(String name, String value) throws IOException;

    /** The body, handed over: the session keeps the array. {@code null} for none. */
    void body(byte[] body, int length);
}
