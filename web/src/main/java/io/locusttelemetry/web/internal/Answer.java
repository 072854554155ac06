package io.locusttelemetry.web.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One response: status, type and body, with the headers every answer carries. */
final class Answer {
    /** The page and the API: only this server's own scripts, styles and connections; never framed. */
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
    /** The HTML report inlines its chart library and data, as the --html file does; it loads nothing. */
    private static final String REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:;"
            + " frame-ancestors 'none'";

    private final int status;
    private final String type;
    private final byte[] body;
    private String disposition;
    private String cache = "no-store";
    private String csp = CSP;

    Answer(int status, String type, String body) {
        this(status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    Answer(int status, String type, byte[] body) {
        this.status = status;
        this.type = type;
        this.body = body;
    }

    static Answer json(String body) {
        return new Answer(200, "application/json; charset=utf-8", body);
    }

    static Answer text(int status, String body) {
        return new Answer(status, "text/plain; charset=utf-8", body);
    }

    Answer attachment(String fileName) {
        this.disposition = "attachment; filename=\"" + fileName + "\"";
        return this;
    }

    Answer cached() {
        this.cache = "max-age=3600";
        return this;
    }

    Answer report() {
        this.csp = REPORT_CSP;
        return this;
    }

    void send(Response response, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cache);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put("Content-Security-Policy", csp);
        if (disposition != null) {
            response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, disposition);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
