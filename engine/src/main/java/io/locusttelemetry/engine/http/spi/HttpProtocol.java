package io.locusttelemetry.engine.http.spi;

/**
 * A wire protocol for {@link io.locusttelemetry.engine.http.HttpSession}, found with
 * {@link java.util.ServiceLoader}. Implementations are shared by every user of the JVM and must be
 * safe to call from any thread.
 */
public interface HttpProtocol {
    /** The protocol's ALPN name, e.g. {@code h2}. */
    String name();

    /** A new exchanger for one user's session: it owns that user's connections, and nobody else's. */
    HttpExchanger newExchanger();
}
