package io.locusttelemetry.engine.http.internal;

import java.util.List;

/** Writes the head of an HTTP/1.1 request: request line, headers, blank line. */
final class RequestHead {
    static final String USER_AGENT = "jlocust/0.1";

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
        boolean userAgent = false;
        boolean accept = false;
        boolean authorization = false;
        boolean close = false;
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            String v = values.get(i);
            userAgent |= n.equalsIgnoreCase("user-agent");
            accept |= n.equalsIgnoreCase("accept");
            authorization |= n.equalsIgnoreCase("authorization");
            close |= n.equalsIgnoreCase("connection") && v.equalsIgnoreCase("close");
            h.writeAscii(n);
            h.writeAscii(": ");
            h.writeAscii(v);
            h.crlf();
        }
        trace.writeTo(h);
        if (!authorization && target.authorization() != null) {
            h.writeAscii(target.authorization());
            h.crlf();
        }
        if (!userAgent) {
            h.writeAscii("User-Agent: " + USER_AGENT + "\r\n");
        }
        if (!accept) {
            h.writeAscii("Accept: */*\r\n");
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
        } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            h.writeAscii("Content-Length: 0\r\n");
        }
        h.crlf();
        return close;
    }
}
