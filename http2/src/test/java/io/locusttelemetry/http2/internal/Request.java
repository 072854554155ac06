package io.locusttelemetry.http2.internal;

import io.locusttelemetry.engine.http.spi.ExchangeRequest;
import java.util.ArrayList;
import java.util.List;

/** An {@link ExchangeRequest} as a test writes it: GET / to a server, no limits, unless told otherwise. */
final class Request implements ExchangeRequest {
    boolean tls;
    String host = "127.0.0.1";
    int port;
    String authority;
    String method = "GET";
    String path = "/";
    final List<String> names = new ArrayList<>();
    final List<String> values = new ArrayList<>();
    byte[] body;
    boolean verifyTls;
    int connectTimeoutMillis = 5_000;
    int readTimeoutMillis;
    long deadlineNanos;
    long maxBodySize = 64L << 20;

    Request(int port, boolean tls) {
        this.port = port;
        this.tls = tls;
        this.authority = host + ":" + port;
    }

    Request path(String p) {
        this.path = p;
        return this;
    }

    Request header(String name, String value) {
        names.add(name);
        values.add(value);
        return this;
    }

    @Override public boolean tls() { return tls; }
    @Override public String host() { return host; }
    @Override public int port() { return port; }
    @Override public String authority() { return authority; }
    @Override public String method() { return method; }
    @Override public String path() { return path; }
    @Override public int headerCount() { return names.size(); }
    @Override public String headerName(int index) { return names.get(index); }
    @Override public String headerValue(int index) { return values.get(index); }
    @Override public byte[] body() { return body; }
    @Override public boolean verifyTls() { return verifyTls; }
    @Override public int connectTimeoutMillis() { return connectTimeoutMillis; }
    @Override public int readTimeoutMillis() { return readTimeoutMillis; }
    @Override public long deadlineNanos() { return deadlineNanos; }
    @Override public long maxBodySize() { return maxBodySize; }
}
