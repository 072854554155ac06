package io.locusttelemetry.web.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Renders one JSON answer with Jackson's streaming generator; strings are escaped, never trusted. */
final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private Json() {}

    static String render(Body body) {
        StringWriter w = new StringWriter(4096);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** {@code {"success": ..., "message": ...}}, Locust's answer of {@code /swarm} and {@code /stop}. */
    static String result(boolean success, String message, String host) {
        return render(g -> {
            g.writeStartObject();
            g.writeBooleanField("success", success);
            g.writeStringField("message", message);
            if (host != null) {
                g.writeStringField("host", host);
            }
            g.writeEndObject();
        });
    }

    /** A double as Python's JSON writes it: NaN and infinities (which JSON lacks) as 0. */
    static void number(JsonGenerator g, String field, double v) throws IOException {
        g.writeNumberField(field, Double.isFinite(v) ? v : 0);
    }
}
