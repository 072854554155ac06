package io.locusttelemetry.engine.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS 1.3 through both engines (BoringSSL's and the JDK's) against the JDK's TLS server with a
 * self-signed certificate: keep-alive exchanges, a response of many records, and a verifying client
 * refusing the untrusted certificate with the reason in its message.
 */
class TlsChannelTest {
    @TempDir
    static Path dir;
    private static SSLServerSocket server;
    private static Thread acceptor;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "secret")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "secret".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(new String[] {"TLSv1.3"});
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    SSLSocket s = (SSLSocket) server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        acceptor.join(5000);
    }

    /** Answers each request line "GET /N" with N bytes of body, keep-alive, until the client closes. */
    private static void serve(SSLSocket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                int n = Integer.parseInt(head.substring(5, head.indexOf(' ', 5)));
                byte[] body = new byte[n];
                for (int i = 0; i < n; i++) {
                    body[i] = (byte) ('a' + i % 26);
                }
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.US_ASCII);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return null;
    }

    private static Function<Boolean, SSLEngine> engines(String which) {
        int port = server.getLocalPort();
        return verify -> which.equals("jdk") ? Tls.jdkEngine(verify, "localhost", port) : BoringSsl.engine(verify, "localhost", port);
    }

    private static String exchange(TlsChannel c, int size) throws IOException {
        c.output().write(("GET /" + size + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = c.input();
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Length: " + size);
        byte[] body = in.readNBytes(size);
        assertThat(body).hasSize(size);
        for (int i = 0; i < size; i += 997) {
            assertThat(body[i]).isEqualTo((byte) ('a' + i % 26));
        }
        return head;
    }

    @ParameterizedTest
    @ValueSource(strings = {"boringssl", "jdk"})
    void keepAliveExchangesOverTls13(String which) throws Throwable {
        if (which.equals("boringssl")) {
            BoringSsl.check();
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(10_000);
            TlsChannel c = TlsChannel.open(engines(which).apply(false), s.getInputStream(), s.getOutputStream());
            try {
                assertThat(c.protocol()).isEqualTo("TLSv1.3");
                for (int size : new int[] {0, 2, 100, 16_384, 200_000, 3}) {
                    exchange(c, size);
                }
            } finally {
                c.release();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"boringssl", "jdk"})
    void verifyingClientRefusesTheSelfSignedCertificate(String which) throws Throwable {
        if (which.equals("boringssl")) {
            BoringSsl.check();
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(10_000);
            assertThatThrownBy(() -> TlsChannel.open(engines(which).apply(true), s.getInputStream(), s.getOutputStream()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("certification path");
        }
    }

    @org.junit.jupiter.api.Test
    void boringSslIsTheDefaultEngineHere() {
        assertThat(Tls.engineName()).isEqualTo("BoringSSL");
    }
}
