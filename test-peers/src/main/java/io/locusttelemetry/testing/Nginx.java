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
    private final Process process;
    private final int port;
    private final Path accessLog;

    private Nginx(Process process, int port, Path accessLog) {
        this.process = process;
        this.port = port;
        this.accessLog = accessLog;
    }

    public static Nginx start(Path dir) throws Exception {
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
        // as root, nginx workers drop to "nobody", who cannot read a private temp folder
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        String conf = user + """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                  access_log %1$s/access.log;
                  client_body_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp; fastcgi_temp_path %1$s/tmp;
                  uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;
                  keepalive_requests 100000;
                  server {
                    listen 127.0.0.1:%2$d;
                    root %3$s;
                    location / { try_files $uri /index.html; }
                  }
                }
                """.formatted(dir.toAbsolutePath(), port, html.toAbsolutePath());
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process p = new ProcessBuilder(binary, "-c", confFile.toAbsolutePath().toString(), "-p", dir.toAbsolutePath().toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new Nginx(p, port, log);
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

    public String url() {
        return "http://127.0.0.1:" + port;
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
