package io.locusttelemetry.engine.http.internal;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** The TLS socket factories of the HTTP client: the JDK's default, or one that trusts any certificate. */
public final class Tls {
    private Tls() {}

    /** The JDK's default factory when {@code verify}, else one that accepts any certificate (test systems). */
    public static SSLSocketFactory factory(boolean verify) {
        return verify ? (SSLSocketFactory) SSLSocketFactory.getDefault() : trustAll();
    }

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
