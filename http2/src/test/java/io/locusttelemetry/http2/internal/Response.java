package io.locusttelemetry.http2.internal;

import io.locusttelemetry.engine.http.spi.ExchangeResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What an exchanger handed over, kept for a test's assertions. */
final class Response implements ExchangeResponse {
    int status;
    String reason;
    final List<String> headers = new ArrayList<>();
    byte[] body;
    int length;

    @Override
    public void status(int status, String reason) {
        this.status = status;
        this.reason = reason;
    }

    @Override
    public void header(String name, String value) {
        headers.add(name + ": " + value);
    }

    @Override
    public void body(byte[] body, int length) {
        this.body = body;
        this.length = length;
    }

    String text() {
        return body == null ? "" : new String(body, 0, length, StandardCharsets.UTF_8);
    }
}
