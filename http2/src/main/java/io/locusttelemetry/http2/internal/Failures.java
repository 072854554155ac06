package io.locusttelemetry.http2.internal;

import io.locusttelemetry.engine.http.spi.Exchanges;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/** Why a connection could not be made, in the words the HTTP/1.1 client uses for the same cause. */
final class Failures {
    private Failures() {}

    static IOException connectFailed(String host, int port, boolean tls, Throwable cause) {
        Throwable c = cause;
        while (c != null && !(c instanceof SSLException) && c.getCause() != null && c.getCause() != c) {
            if (c instanceof ConnectException) {
                break;
            }
            c = c.getCause();
        }
        if (c instanceof SSLException ssl && String.valueOf(ssl.getMessage()).contains("no_application_protocol")) {
            return Exchanges.handshakeFailed(host, port,
                    "the server does not speak HTTP/2 (it refused ALPN's h2: no_application_protocol)", cause);
        }
        if (c instanceof SSLException ssl) {
            return Exchanges.handshakeFailed(host, port, ssl.getMessage(), cause);
        }
        if (c instanceof ConnectException ce) {
            return ce;
        }
        if (tls && (cause instanceof ClosedChannelException || cause instanceof java.io.EOFException)) {
            return Exchanges.handshakeFailed(host, port, "the server closed the connection", cause);
        }
        if (cause instanceof IOException io) {
            return io;
        }
        SocketException told = new SocketException("HTTP/2 connection to " + host + ":" + port + " failed: " + cause);
        told.initCause(cause);
        return told;
    }
}
