package io.locusttelemetry.engine.http.spi;

import java.io.IOException;

/**
 * One user's connections over a protocol. Called from that user's own thread only, one request at a
 * time (as Locust's users send them), so an implementation needs no lock of its own.
 */
public interface HttpExchanger extends AutoCloseable {
    /**
     * Sends {@code request} and hands its whole response to {@code response}, blocking (parking, on a
     * virtual thread) until it has arrived or failed. Redirects are the session's: this sends exactly one request.
     *
     * <p>Failures are IOExceptions in the words of the HTTP/1.1 client where the cause is the same: a
     * {@link java.net.SocketTimeoutException} for a read or total timeout, {@link Exchanges#bodyOverLimit}
     * for a body over the limit, an {@link java.io.InterruptedIOException} (with the thread's interrupt
     * status kept) when the user's thread is interrupted, which is how a stop cuts a request short.
     *
     * @return {@link System#nanoTime()} when the response's last byte had arrived
     */
    long exchange(ExchangeRequest request, ExchangeResponse response) throws IOException;

    /** Closes this user's connections; requests after it open new ones. */
    @Override
    void close();
}
