package io.locusttelemetry.engine.http.internal;

import java.util.List;

/** Writes the head of an HTTP/1.1 request: request line, headers ({@link DefaultHeaders} among them), blank line. */
final class RequestHead {
    private RequestHead() {}

    /**
     * @param names   the request's own header names, in order; {@code values} their values
     * @param cookie  the {@code Cookie} header value, or null
     * @param body    the body that follows (its length is sent), or null
     * @return whether the request asks for {@code Connection: close}: the connection then ends with its response
     */
    static boolean write(ByteSink h, String method, Target target, String pathAndQuery, List<String> names,
                      List<String> values, TraceHeaders trace, String cookie, String contentType, byte[] body) {
        h.reset();
        h.writeAscii(method);
        h.writeByte(' ');
        h.writeAscii(pathAndQuery);
        h.writeAscii(" HTTP/1.1\r\nHost: ");
        h.writeAscii(target.hostHeader());
        h.crlf();
        int seen = 0;
        boolean close = false;
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            String v = values.get(i);
            seen = DefaultHeaders.note(seen, n);
            close |= n.equalsIgnoreCase("connection") && v.equalsIgnoreCase("close");
            h.writeAscii(n);
            h.writeAscii(": ");
            h.writeAscii(v);
            h.crlf();
        }
        trace.writeTo(h);
        String authorization = DefaultHeaders.authorization(seen, target);
        if (authorization != null) {
            h.writeAscii("Authorization: ");
            h.writeAscii(authorization);
            h.crlf();
        }
        if (DefaultHeaders.addsUserAgent(seen)) {
            h.writeAscii("User-Agent: " + DefaultHeaders.USER_AGENT + "\r\n");
        }
        if (DefaultHeaders.addsAccept(seen)) {
            h.writeAscii("Accept: " + DefaultHeaders.ACCEPT + "\r\n");
        }
        if (cookie != null) {
            h.writeAscii("Cookie: ");
            h.writeAscii(cookie);
            h.crlf();
        }
        if (body != null) {
            if (contentType != null) {
                h.writeAscii("Content-Type: ");
                h.writeAscii(contentType);
                h.crlf();
            }
            h.writeAscii("Content-Length: ");
            h.writeInt(body.length);
            h.crlf();
        } else if (DefaultHeaders.sendsEmptyLength(method)) {
            h.writeAscii("Content-Length: 0\r\n");
        }
        h.crlf();
        return close;
    }
}
