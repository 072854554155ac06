package io.locusttelemetry.http2.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

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
            SSLHandshakeException told = new SSLHandshakeException("TLS handshake with " + host + ":" + port
                    + " failed: the server does not speak HTTP/2 (it refused ALPN's h2: no_application_protocol)");
            told.initCause(cause);
            return told;
        }
        if (c instanceof SSLException ssl) {
            SSLHandshakeException told = new SSLHandshakeException("TLS handshake with " + host + ":" + port
                    + " failed: " + ssl.getMessage());
            told.initCause(cause);
            return told;
        }
        if (c instanceof ConnectException ce) {
            return ce;
        }
        if (tls && (cause instanceof ClosedChannelException || cause instanceof java.io.EOFException)) {
            SSLHandshakeException told = new SSLHandshakeException("TLS handshake with " + host + ":" + port
                    + " failed: the server closed the connection");
            told.initCause(cause);
            return told;
        }
        if (cause instanceof IOException io) {
            return io;
        }
        SocketException told = new SocketException("HTTP/2 connection to " + host + ":" + port + " failed: " + cause);
        told.initCause(cause);
        return told;
    }
}
