package io.locusttelemetry.engine.http.internal;

import io.locusttelemetry.engine.http.spi.Exchanges;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS engines of the HTTP client, one home for how connections are encrypted: BoringSSL (through
 * Netty's tcnative build, which ships as a jar for Linux, macOS and Windows on x86-64 and arm64)
 * when it loads, else the JDK's. BoringSSL shakes hands for well under half of the JDK's CPU
 * (bench/RESULTS.md); {@code -Djlocust.tls=jdk} chooses the JDK's. On JDK 24 and later BoringSSL is
 * used only when native access is enabled ({@code --enable-native-access=ALL-UNNAMED}, as the
 * launcher does), so that loading it never prints the JDK's restricted-method warning.
 *
 * <p>With verification on, the server's certificate chain is checked against the JDK's trust store
 * and its name against the URL's host, as a browser does. Off ({@code client.verifyTls(false)}),
 * any certificate is accepted: test systems with self-signed certificates. Both kinds of context
 * are made once per JVM and shared by every user; each connection gets its own engine.
 */
public final class Tls {
    /** The system property that chooses the engine: {@code boringssl} (the default when it loads) or {@code jdk}. */
    public static final String ENGINE_PROPERTY = "jlocust.tls";
    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);

    private Tls() {}

    /**
     * Shakes hands with {@code host}:{@code port} over a connected socket's streams. The caller
     * bounds each read (the connect timeout, {@code timeoutMillis}, named in the failure).
     *
     * @throws SocketTimeoutException when the server stopped answering during the handshake
     * @throws SSLHandshakeException  when the handshake failed: a certificate that fails its
     *                                checks, a server that does not speak TLS or hangs up (the
     *                                message names the server and the reason)
     */
    static TlsChannel open(boolean verify, String host, int port, InputStream in, OutputStream out, int timeoutMillis)
            throws IOException {
        try {
            return TlsChannel.open(engine(verify, host, port), in, out);
        } catch (SocketTimeoutException e) {
            SocketTimeoutException told = new SocketTimeoutException("TLS handshake with " + host + ":" + port
                    + " got no answer within the connect timeout of " + timeoutMillis + " ms");
            told.initCause(e);
            throw told;
        } catch (SSLException | EOFException e) {
            throw Exchanges.handshakeFailed(host, port, e.getMessage(), e);
        }
    }

    /** A client engine for {@code host}:{@code port}, handshake not begun. */
    static SSLEngine engine(boolean verify, String host, int port) {
        if (Native.AVAILABLE) {
            return BoringSsl.engine(verify, host, port);
        }
        return jdkEngine(verify, host, port);
    }

    /** The JDK's client engine for {@code host}:{@code port}: the fallback, and the one {@code -Djlocust.tls=jdk} chooses. */
    static SSLEngine jdkEngine(boolean verify, String host, int port) {
        SSLEngine e = (verify ? Jdk.VERIFYING : Jdk.TRUSTING).createSSLEngine(host, port);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        if (verify) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        p.setCipherSuites(Jdk.SUITES);
        e.setSSLParameters(p);
        return e;
    }

    /** The memory for a channel's buffers over {@code engine}: BoringSSL's reads and writes native memory in place. */
    static TlsMemory memory(SSLEngine engine) {
        return Native.AVAILABLE && BoringSsl.owns(engine) ? BoringSsl.MEMORY : TlsMemory.HEAP;
    }

    /** Frees what an engine holds outside the heap. */
    static void release(SSLEngine engine) {
        if (Native.AVAILABLE) {
            BoringSsl.release(engine);
        }
    }

    /** Chooses and loads the engine, once per JVM (later calls return at once). */
    static void load() {
        if (Native.AVAILABLE) {
            BoringSsl.load();
        } else {
            Jdk.load();
        }
    }

    /** Which engine encrypts: {@code BoringSSL} or {@code JDK}. */
    public static String engineName() {
        return Native.AVAILABLE ? "BoringSSL" : "JDK";
    }

    /** Whether BoringSSL is used: looked at once, on first use. */
    private static final class Native {
        static final boolean AVAILABLE = load();

        private static boolean load() {
            String wanted = System.getProperty(ENGINE_PROPERTY, "boringssl").trim().toLowerCase(Locale.ROOT);
            if (wanted.equals("jdk")) {
                LOG.info("HTTPS through the JDK's TLS (-D{}=jdk)", ENGINE_PROPERTY);
                return false;
            }
            if (!wanted.equals("boringssl")) {
                LOG.warn("-D{}={} is neither boringssl nor jdk: using boringssl if it loads", ENGINE_PROPERTY, wanted);
            }
            try {
                BoringSsl.check();
                LOG.info("HTTPS through BoringSSL");
                return true;
            } catch (Throwable e) {
                // not on this platform, its jars left out, or no native access: the JDK's TLS does the same work
                LOG.info("HTTPS through the JDK's TLS (BoringSSL: {})", e.getMessage() == null ? e.toString() : e.getMessage());
                return false;
            }
        }
    }

    private static final class Jdk {
        static final SSLContext VERIFYING = context(true);
        static final SSLContext TRUSTING = context(false);
        /**
         * The JDK's suites with AES-128-GCM first (the JDK puts AES-256 first): what BoringSSL and
         * browsers ask for, and fewer rounds per record.
         */
        static final String[] SUITES = suites();

        static void load() {
            // the class's initialisation made the contexts
        }

        private static SSLContext context(boolean verify) {
            try {
                if (verify) {
                    return SSLContext.getDefault();
                }
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {TRUST_ALL}, null);
                return ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no TLS: " + e.getMessage(), e);
            }
        }

        private static String[] suites() {
            List<String> suites = new ArrayList<>(List.of(TRUSTING.getDefaultSSLParameters().getCipherSuites()));
            if (suites.remove("TLS_AES_128_GCM_SHA256")) {
                suites.add(0, "TLS_AES_128_GCM_SHA256");
            }
            return suites.toArray(String[]::new);
        }
    }

    /** Accepts any certificate: for test systems, when the user turned verification off. */
    static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    /**
     * The handshake's failure with the reason in its message: BoringSSL's engine says "General
     * OpenSslEngine problem" and keeps the certificate check's reason in a cause.
     */
    static SSLHandshakeException withReason(SSLHandshakeException e) {
        Throwable reason = e.getCause();
        while (reason != null && !(reason instanceof CertificateException) && reason.getCause() != null) {
            reason = reason.getCause();
        }
        if (reason == null || reason.getMessage() == null || reason.getMessage().equals(e.getMessage())) {
            return e;
        }
        SSLHandshakeException told = new SSLHandshakeException(reason.getMessage());
        told.initCause(e);
        return told;
    }
}
