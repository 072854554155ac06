package io.locusttelemetry.http2;

import io.locusttelemetry.engine.http.spi.HttpExchanger;
import io.locusttelemetry.engine.http.spi.HttpProtocol;
import io.locusttelemetry.http2.internal.Http2Exchanger;

/**
 * HTTP/2 for the engine's HTTP client, through Jetty 12's HTTP/2 client: h2 agreed with ALPN over
 * the JDK's TLS for https URLs, h2c with prior knowledge for http URLs. Found with
 * {@link java.util.ServiceLoader}; users switch to it with {@code @Http2} or {@code client.http2()}.
 */
public final class JettyHttp2 implements HttpProtocol {
    /** Called by {@link java.util.ServiceLoader}. */
    public JettyHttp2() {}

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public HttpExchanger newExchanger() {
        return new Http2Exchanger();
    }
}
