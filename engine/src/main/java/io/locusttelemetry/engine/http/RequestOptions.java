package io.locusttelemetry.engine.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Options of one request, set in the lambda passed to a request method:
 * {@code client.get("/item?id=7", r -> r.name("/item").header("X-Trace", "1"))}.
 * The object is reused by the session for its next request: don't keep it.
 */
public final class RequestOptions {
    String name;
    final List<String> headerNames = new ArrayList<>(4);
    final List<String> headerValues = new ArrayList<>(4);
    StringBuilder query;
    byte[] body;
    String contentType;
    boolean catchResponse;
    boolean allowRedirects = true;
    Duration timeout;
    Duration totalTimeout;
    long maxBodySize;
    Map<String, Object> context;

    RequestOptions() {}

    void reset() {
        name = null;
        headerNames.clear();
        headerValues.clear();
        query = null;
        body = null;
        contentType = null;
        catchResponse = false;
        allowRedirects = true;
        timeout = null;
        totalTimeout = null;
        maxBodySize = 0;
        context = null;
    }

    /** Groups this request's statistics under {@code name} instead of its URL. */
    public RequestOptions name(String name) {
        this.name = name;
        return this;
    }

    /** Adds a request header. */
    public RequestOptions header(String name, String value) {
        headerNames.add(name);
        headerValues.add(value);
        return this;
    }

    /** Adds request headers. */
    public RequestOptions headers(Map<String, String> headers) {
        headers.forEach(this::header);
        return this;
    }

    /** Adds a URL-encoded query parameter. */
    public RequestOptions query(String name, Object value) {
        if (query == null) {
            query = new StringBuilder();
        } else {
            query.append('&');
        }
        query.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
        return this;
    }

    /** Adds URL-encoded query parameters. */
    public RequestOptions query(Map<String, ?> params) {
        params.forEach(this::query);
        return this;
    }

    /** Sends {@code value} serialised as JSON, with {@code Content-Type: application/json}. */
    public RequestOptions json(Object value) {
        try {
            this.body = value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise request body as JSON: " + e.getOriginalMessage(), e);
        }
        this.contentType = "application/json";
        return this;
    }

    /** Sends an HTML form ({@code application/x-www-form-urlencoded}). */
    public RequestOptions form(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
        });
        this.body = sb.toString().getBytes(StandardCharsets.UTF_8);
        this.contentType = "application/x-www-form-urlencoded";
        return this;
    }

    /** Sends a text body with the given content type. */
    public RequestOptions body(String text, String contentType) {
        this.body = text.getBytes(StandardCharsets.UTF_8);
        this.contentType = contentType;
        return this;
    }

    /** Sends raw bytes with the given content type. */
    public RequestOptions body(byte[] bytes, String contentType) {
        this.body = bytes;
        this.contentType = contentType;
        return this;
    }

    /**
     * Lets the task decide success or failure (Locust's {@code catch_response}): the request is
     * reported when the response is closed, as a failure if {@link HttpResponse#failure} was called,
     * as a success if {@link HttpResponse#success} was called, else by its status code.
     */
    public RequestOptions catchResponse() {
        this.catchResponse = true;
        return this;
    }

    /** Whether redirects are followed (default true). */
    public RequestOptions allowRedirects(boolean allow) {
        this.allowRedirects = allow;
        return this;
    }

    /**
     * Read timeout of this request: the most any one read may wait for the server (a server that
     * sends a byte now and then never reaches it; see {@link #totalTimeout}).
     */
    public RequestOptions timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * The most this whole request may take: connecting, sending and the whole response, redirects
     * included; past it the request fails with a timeout and its connection is closed. Overrides
     * the client's {@link HttpSession#totalTimeout}; {@link Duration#ZERO} means no limit.
     */
    public RequestOptions totalTimeout(Duration timeout) {
        this.totalTimeout = HttpSession.checkTimeout(timeout);
        return this;
    }

    /**
     * The largest response body this request accepts, in bytes; a larger one fails the request and
     * closes its connection. Overrides the client's {@link HttpSession#maxBodySize} and
     * {@code --max-body-size} (default 64 MiB).
     */
    public RequestOptions maxBodySize(long bytes) {
        this.maxBodySize = HttpSession.checkBodySize(bytes);
        return this;
    }

    /** Extra context for this request's event (merged over the user's context). */
    public RequestOptions context(Map<String, Object> context) {
        this.context = context;
        return this;
    }
}
