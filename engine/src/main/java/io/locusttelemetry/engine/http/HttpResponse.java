package io.locusttelemetry.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A received response (or the failure to get one). With {@code catchResponse()} the task decides
 * the outcome with {@link #success()} or {@link #failure(String)}, and the request is reported when
 * the response is closed: use it in try-with-resources.
 */
public final class HttpResponse implements AutoCloseable {
    private final int status;
    private final byte[] head;
    private final byte[] body;
    private final String url;
    private final double elapsedMillis;
    private final Throwable error;
    private Map<String, List<String>> headers;

    HttpSession.Pending pending;

    HttpResponse(int status, byte[] head, byte[] body, String url, double elapsedMillis, Throwable error) {
        this.status = status;
        this.head = head;
        this.body = body;
        this.url = url;
        this.elapsedMillis = elapsedMillis;
        this.error = error;
    }

    /** HTTP status code, or 0 when no response was received. */
    public int status() {
        return status;
    }

    /** True for a status below 400 (and a response at all). */
    public boolean ok() {
        return status > 0 && status < 400;
    }

    /** The reason phrase of the status line, e.g. {@code Not Found}. */
    public String reason() {
        if (head == null) {
            return "";
        }
        int end = 0;
        while (end < head.length && head[end] != '\r' && head[end] != '\n') {
            end++;
        }
        String line = new String(head, 0, end, StandardCharsets.ISO_8859_1);
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        return sp2 < 0 ? "" : line.substring(sp2 + 1);
    }

    /** The URL finally requested (after redirects). */
    public String url() {
        return url;
    }

    /** Response time in milliseconds, as reported in statistics. */
    public double elapsedMillis() {
        return elapsedMillis;
    }

    /** The error that prevented a response, or null. */
    public Throwable error() {
        return error;
    }

    /** The first value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers().get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** All headers, names lower-cased. */
    public Map<String, List<String>> headers() {
        if (headers == null) {
            Map<String, List<String>> map = new LinkedHashMap<>();
            if (head != null) {
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String[] lines = text.split("\r\n");
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        map.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                                .add(lines[i].substring(colon + 1).trim());
                    }
                }
            }
            headers = map;
        }
        return headers;
    }

    /** The body bytes (empty when there was none). */
    public byte[] bytes() {
        return body == null ? new byte[0] : body.clone();
    }

    /** Body length in bytes. */
    public int length() {
        return body == null ? 0 : body.length;
    }

    /** The body as text, decoded with the charset of {@code Content-Type} (UTF-8 by default). */
    public String text() {
        if (body == null) {
            return "";
        }
        return new String(body, charset());
    }

    private Charset charset() {
        String type = header("content-type");
        if (type != null) {
            int i = type.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (i >= 0) {
                try {
                    return Charset.forName(type.substring(i + 8).replace("\"", "").trim());
                } catch (RuntimeException ignored) {
                    // fall back to UTF-8
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** The body parsed as JSON. */
    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(body == null ? new byte[0] : body);
        } catch (IOException e) {
            throw new IllegalStateException("response of " + url + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** The body parsed as JSON into {@code type}. */
    public <T> T json(Class<T> type) {
        try {
            return Json.MAPPER.readValue(body == null ? new byte[0] : body, type);
        } catch (IOException e) {
            throw new IllegalStateException("response of " + url + " is not a JSON " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** With {@code catchResponse()}: report this request as a success. */
    public void success() {
        if (pending == null) {
            throw new IllegalStateException("success() needs catchResponse() on the request");
        }
        pending.outcome = HttpSession.Pending.SUCCESS;
    }

    /** With {@code catchResponse()}: report this request as a failure with {@code message}. */
    public void failure(String message) {
        if (pending == null) {
            throw new IllegalStateException("failure() needs catchResponse() on the request");
        }
        pending.outcome = HttpSession.Pending.FAILURE;
        pending.message = message;
    }

    /** Reports a caught response (no-op otherwise). */
    @Override
    public void close() {
        HttpSession.Pending p = pending;
        if (p != null) {
            p.session.finish(this, p);
        }
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + " " + url + "]";
    }
}
