package io.locusttelemetry.engine.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Random;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS 1.3 through both engines (BoringSSL's and the JDK's) against the JDK's TLS server with a
 * self-signed certificate: keep-alive exchanges, a response of many records, requests of many
 * records, records split over many reads, and a verifying client refusing the untrusted
 * certificate with the reason in its message; when a record counts as all here.
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
        int last4 = 0;
        while ((c = in.read()) >= 0) {
            b.write(c);
            last4 = last4 << 8 | c;
            if (last4 == 0x0d0a0d0a) {
                return b.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static Function<Boolean, SSLEngine> engines(String which) {
        int port = server.getLocalPort();
        return verify -> which.equals("jdk") ? Tls.jdkEngine(verify, "localhost", port) : BoringSsl.engine(verify, "localhost", port);
    }

    private static String exchange(TlsChannel c, int size) throws IOException {
        return exchange(c, size, 0);
    }

    /** One request for {@code size} bytes, its head padded by a header of {@code pad} bytes. */
    private static String exchange(TlsChannel c, int size, int pad) throws IOException {
        String padding = pad == 0 ? "" : "X-Pad: " + "p".repeat(pad) + "\r\n";
        c.output().write(("GET /" + size + " HTTP/1.1\r\nHost: localhost\r\n" + padding + "\r\n").getBytes(StandardCharsets.US_ASCII));
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
        SSLEngine engine = engines(which).apply(false);
        talk(engine, Tls.memory(engine), c -> {
            assertThat(c.protocol()).isEqualTo("TLSv1.3");
            for (int size : new int[] {0, 2, 100, 16_384, 200_000, 3}) {
                exchange(c, size);
            }
        });
    }

    /** Something done over a channel to the test server. */
    @FunctionalInterface
    private interface Talk {
        void over(TlsChannel c) throws IOException;
    }

    /** Opens a channel to the test server through {@code engine} in {@code memory}, does {@code talk} and releases it. */
    private static void talk(SSLEngine engine, TlsMemory memory, Talk talk) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(10_000);
            TlsChannel c = TlsChannel.open(engine, memory, s.getInputStream(), s.getOutputStream());
            try {
                talk.over(c);
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

    @ParameterizedTest
    @ValueSource(strings = {"boringssl", "jdk"})
    void requestsLargerThanARecordGoOutWhole(String which) throws Throwable {
        if (which.equals("boringssl")) {
            BoringSsl.check();
        }
        SSLEngine engine = engines(which).apply(false);
        talk(engine, Tls.memory(engine), c -> {
            // past one buffer (4 KiB), one record (16 KiB) and several records
            for (int pad : new int[] {10, 5_000, 16_384, 40_000, 100}) {
                exchange(c, 100, pad);
            }
        });
    }

    /**
     * The server's bytes reach the client a few at a time (a relay forwards them in pieces of 1 to 7
     * bytes): records, and record headers, arrive split over many reads.
     */
    @ParameterizedTest
    @ValueSource(strings = {"boringssl", "jdk"})
    void recordsSplitOverManyReadsAreJoined(String which) throws Throwable {
        if (which.equals("boringssl")) {
            BoringSsl.check();
        }
        try (ServerSocket relay = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.getLocalPort());
             Socket up = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket down = relay.accept()) {
            up.setTcpNoDelay(true);
            down.setTcpNoDelay(true);
            Thread toServer = Thread.ofVirtual().start(() -> pump(down, up, Integer.MAX_VALUE));
            Thread toClient = Thread.ofVirtual().start(() -> pump(up, down, 7));
            s.setSoTimeout(20_000);
            TlsChannel c = TlsChannel.open(engines(which).apply(false), s.getInputStream(), s.getOutputStream());
            try {
                for (int size : new int[] {0, 100, 5_000, 20_000, 1}) {
                    exchange(c, size);
                }
            } finally {
                c.release();
                s.close();
                up.close();
                down.close();
                toServer.join(5000);
                toClient.join(5000);
            }
        }
    }

    /** Copies from {@code from} to {@code to} in pieces of at most {@code piece} bytes, each sent at once. */
    private static void pump(Socket from, Socket to, int piece) {
        Random random = new Random(42);
        byte[] b = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(b)) > 0) {
                for (int off = 0; off < n; ) {
                    int len = Math.min(n - off, piece == Integer.MAX_VALUE ? n : 1 + random.nextInt(piece));
                    out.write(b, off, len);
                    out.flush();
                    off += len;
                    if (piece != Integer.MAX_VALUE) {
                        Thread.sleep(0, 50_000);
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side closed
        }
    }

    @Test
    void boringSslWorksInNativeMemoryAndTheJdkOnTheHeap() {
        int port = server.getLocalPort();
        SSLEngine boring = BoringSsl.engine(false, "localhost", port);
        SSLEngine jdk = Tls.jdkEngine(false, "localhost", port);
        try {
            TlsMemory.Block b = Tls.memory(boring).allocate(100);
            assertThat(b.bytes.isDirect()).isTrue();
            assertThat(b.bytes.capacity()).isEqualTo(100);
            b.free();
            assertThat(Tls.memory(jdk)).isSameAs(TlsMemory.HEAP);
            assertThat(TlsMemory.HEAP.allocate(10).bytes.hasArray()).isTrue();
        } finally {
            Tls.release(boring);
        }
    }

    /** When native memory runs out, buffers come from the heap: a channel with both kinds still works. */
    @Test
    void aChannelWithNativeAndHeapBuffersMixedWorks() throws Throwable {
        BoringSsl.check();
        int[] n = {0};
        TlsMemory mixed = size -> n[0]++ % 2 == 0 ? BoringSsl.MEMORY.allocate(size) : TlsMemory.HEAP.allocate(size);
        talk(BoringSsl.engine(false, "localhost", server.getLocalPort()), mixed, c -> {
            for (int size : new int[] {0, 100, 16_384, 200_000, 3}) {
                exchange(c, size, size / 10);
            }
        });
    }

    @Test
    void aRecordIsCompleteOnceItsHeaderAndBodyHaveArrived() {
        byte[] record = {23, 3, 3, 0, 4, 1, 2, 3, 4, 23, 3};
        for (int have = 0; have <= record.length; have++) {
            ByteBuffer in = ByteBuffer.wrap(record, 0, have);
            assertThat(TlsRecords.complete(in)).as("%d bytes", have).isEqualTo(have >= 9);
        }
        // from the buffer's position on, not its start
        assertThat(TlsRecords.complete(ByteBuffer.wrap(record, 9, 2))).isFalse();
        // bytes that are no TLS record: the engine's to refuse, at once
        assertThat(TlsRecords.complete(ByteBuffer.wrap("HTTP/1.1 400".getBytes(StandardCharsets.US_ASCII)))).isTrue();
        // a length no record may have: the engine's to refuse, not a reason to wait for 64 KiB
        assertThat(TlsRecords.complete(ByteBuffer.wrap(new byte[] {23, 3, 3, (byte) 0xff, (byte) 0xff}))).isTrue();
        assertThat(TlsRecords.complete(ByteBuffer.wrap(new byte[] {23, 3, 3, 0x48, 0x00}))).isFalse();
    }

    /** Hostile headers: the answer never throws and says "wait" only for a plausible record not all here. */
    @Test
    void anyBytesGetAnAnswerAboutTheRecord() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(12)];
            random.nextBytes(b);
            if (b.length > 0 && random.nextBoolean()) {
                b[0] = (byte) (20 + random.nextInt(5));
            }
            int start = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            ByteBuffer in = ByteBuffer.wrap(b, start, b.length - start);
            boolean complete = TlsRecords.complete(in);
            assertThat(in.position()).isEqualTo(start);
            int have = b.length - start;
            if (have < 5) {
                assertThat(complete).isFalse();
            } else {
                int type = b[start] & 0xff;
                int length = (b[start + 3] & 0xff) << 8 | b[start + 4] & 0xff;
                boolean plausible = type >= 20 && type <= 24 && length <= (1 << 14) + 2048;
                assertThat(complete).isEqualTo(!plausible || have - 5 >= length);
            }
        }
    }

    @Test
    void boringSslIsTheDefaultEngineHere() {
        assertThat(Tls.engineName()).isEqualTo("BoringSSL");
    }
}
