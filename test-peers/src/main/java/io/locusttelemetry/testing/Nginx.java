package io.locusttelemetry.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real nginx on 127.0.0.1 with its own config and access log, for tests. */
public final class Nginx implements AutoCloseable {
    /**
     * The access log's line over HTTPS: request, status, the connection's serial number and its
     * request number (1 for the first request on a connection), protocol, cipher, and "r" when the
     * handshake resumed a session ("." otherwise).
     */
    public static final String TLS_LOG_FORMAT = "$request $status conn=$connection#$connection_requests $ssl_protocol"
            + " $ssl_cipher reused=$ssl_session_reused";

    private final Process process;
    private final int port;
    private final Path accessLog;
    private final boolean tls;

    private Nginx(Process process, int port, Path accessLog, boolean tls) {
        this.process = process;
        this.port = port;
        this.accessLog = accessLog;
        this.tls = tls;
    }

    public static Nginx start(Path dir) throws Exception {
        return start(dir, false);
    }

    /**
     * An nginx that serves HTTPS only, TLS 1.3 only, keep-alive, with a self-signed ECDSA
     * certificate for 127.0.0.1 made at start (openssl); its access log has {@link #TLS_LOG_FORMAT}.
     */
    public static Nginx startTls(Path dir) throws Exception {
        return start(dir, true);
    }

    /**
     * An nginx that speaks HTTP/2 only: over TLS 1.3 with ALPN when {@code tls} (the certificate as
     * {@link #startTls}), else cleartext h2c with prior knowledge. Its log line starts as HTTP/1.1's
     * ({@code $request} names the protocol, {@code HTTP/2.0}); besides the files it serves
     * {@code /h2/cookie} (sets {@code session=h2}), {@code /h2/redirect} (302 to {@code /index.html}),
     * {@code /h2/echo-cookie} (the request's Cookie header as the body), {@code /h2/status/404} and
     * {@code /h2/big} (256 KiB), and the same slowly: {@code /h2/slowish} in about 0.25 s, {@code /h2/slow} in about 8 s.
     */
    public static Nginx startHttp2(Path dir, boolean tls) throws Exception {
        return start(dir, tls, true);
    }

    private static Nginx start(Path dir, boolean tls) throws Exception {
        return start(dir, tls, false);
    }

    private static Nginx start(Path dir, boolean tls, boolean http2) throws Exception {
        String binary = List.of("/usr/sbin/nginx", "/usr/bin/nginx").stream().filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElseThrow(() -> new AssertionError("nginx is not installed: run apt-get install -y nginx (./run-tests does)"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path html = Files.createDirectories(dir.resolve("html"));
        Files.writeString(html.resolve("index.html"), "<html><body>hello from nginx</body></html>\n");
        Path log = dir.resolve("access.log");
        Files.createDirectories(dir.resolve("tmp"));
        String listen = "listen 127.0.0.1:" + port + ";";
        String logFormat = "";
        String logLine = "access_log " + dir.toAbsolutePath() + "/access.log;";
        String locations = "";
        if (http2) {
            listen = "listen 127.0.0.1:" + port + " http2;";
            Files.write(html.resolve("big"), new byte[256 * 1024]);
            locations = """
                    location = /h2/cookie { add_header Set-Cookie "session=h2; Path=/"; return 200 "cookie set\n"; }
                    location = /h2/redirect { return 302 /index.html; }
                    location = /h2/echo-cookie { return 200 "cookie=$http_cookie\n"; }
                    location = /h2/status/404 { return 404 "not here\n"; }
                    location = /h2/big { try_files /big =404; }
                    location = /h2/slow { limit_rate 32k; try_files /big =404; }
                    location = /h2/slowish { limit_rate 1m; try_files /big =404; }
                    """;
        }
        if (tls) {
            selfSignedCertificate(dir);
            listen = "listen 127.0.0.1:" + port + " ssl" + (http2 ? " http2" : "") + ";\n"
                    + "    ssl_certificate " + dir.toAbsolutePath() + "/cert.pem;\n"
                    + "    ssl_certificate_key " + dir.toAbsolutePath() + "/key.pem;\n"
                    + "    ssl_protocols TLSv1.3;";
            logFormat = "log_format tls '" + TLS_LOG_FORMAT + "';";
            logLine = "access_log " + dir.toAbsolutePath() + "/access.log tls;";
        }
        // as root, nginx workers drop to "nobody", who cannot read a private temp folder
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        String conf = user + """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                  %4$s
                  %5$s
                  client_body_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp; fastcgi_temp_path %1$s/tmp;
                  uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;
                  keepalive_requests 100000;
                  server {
                    %2$s
                    root %3$s;
                    location / { try_files $uri /index.html; }
                    %6$s
                  }
                }
                """.formatted(dir.toAbsolutePath(), listen, html.toAbsolutePath(), logFormat, logLine, locations);
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process p = new ProcessBuilder(binary, "-c", confFile.toAbsolutePath().toString(), "-p", dir.toAbsolutePath().toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new Nginx(p, port, log, tls);
            } catch (IOException e) {
                if (!p.isAlive()) {
                    throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("nginx.out")));
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("nginx did not start on port " + port);
    }

    /** {@code http://127.0.0.1:port}, or {@code https://} for {@link #startTls}. */
    public String url() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /** Lines of the access log. */
    public List<String> logLines() throws IOException {
        if (!Files.exists(accessLog)) {
            return List.of();
        }
        try (var lines = Files.lines(accessLog)) {
            return lines.filter(l -> !l.isBlank()).toList();
        }
    }

    private static void selfSignedCertificate(Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("openssl.out");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (p.waitFor() != 0) {
            throw new AssertionError("openssl could not make a certificate (apt-get install -y openssl): "
                    + Files.readString(out));
        }
    }

    /** Requests nginx logged. */
    public long loggedRequests() throws IOException {
        if (!Files.exists(accessLog)) {
            return 0;
        }
        try (var lines = Files.lines(accessLog)) {
            return lines.filter(l -> !l.isBlank()).count();
        }
    }

    /** Requests nginx logged whose log line contains {@code text}. */
    public long loggedRequests(String text) throws IOException {
        if (!Files.exists(accessLog)) {
            return 0;
        }
        try (var lines = Files.lines(accessLog)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
