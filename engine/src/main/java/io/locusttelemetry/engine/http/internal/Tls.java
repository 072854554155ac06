package io.locusttelemetry.engine.http.internal;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The HTTP client's TLS: the JDK's engine, with the JDK's default context (trust store, host name
 * check) or one that trusts any certificate. Both are made once per JVM and shared by every user,
 * so a user costs no context of its own and reconnects resume their TLS session.
 */
public final class Tls {
    private Tls() {}

    /** The JDK's default factory when {@code verify}, else one that accepts any certificate (test systems). */
    public static SSLSocketFactory factory(boolean verify) {
        return verify ? (SSLSocketFactory) SSLSocketFactory.getDefault() : TrustAll.FACTORY;
    }

    /**
     * Shakes hands over the connected socket {@code s} and returns the TLS socket over it. Each
     * read of the handshake waits at most {@code timeoutMillis} (the connect timeout; 0 waits
     * for ever), so that a server that stalls in the middle fails the request instead of holding
     * its user; the read timeout {@code readTimeoutMillis} is set again afterwards.
     *
     * @throws SocketTimeoutException when the server stopped answering during the handshake
     * @throws SSLException           when the handshake failed: a certificate that fails its
     *                                checks, a server that does not speak TLS (the message names the server)
     */
    static SSLSocket handshake(Socket s, SSLSocketFactory factory, String host, int port, int timeoutMillis,
                               int readTimeoutMillis) throws IOException {
        s.setSoTimeout(timeoutMillis);
        SSLSocket ssl = (SSLSocket) factory.createSocket(s, host, port, true);
        try {
            ssl.startHandshake();
        } catch (SocketTimeoutException e) {
            SocketTimeoutException told = new SocketTimeoutException("TLS handshake with " + host + ":" + port
                    + " got no answer within the connect timeout of " + timeoutMillis + " ms");
            told.initCause(e);
            throw told;
        } catch (SSLException e) {
            SSLHandshakeException told = new SSLHandshakeException("TLS handshake with " + host + ":" + port
                    + " failed: " + e.getMessage());
            told.initCause(e);
            throw told;
        }
        s.setSoTimeout(readTimeoutMillis);
        return ssl;
    }

    private static final class TrustAll {
        static final SSLSocketFactory FACTORY = trustAll();

        private static SSLSocketFactory trustAll() {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                }}, null);
                return ctx.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
