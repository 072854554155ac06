package io.locusttelemetry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real Python Locust process (Debian's python3-locust 2.12.1), its output in a file; killed on close. */
final class PythonLocust implements AutoCloseable {
    /** Debian's 2.12.1 through the launcher that sets its version string to "2.12.1". */
    static final Path LAUNCHER = locate("shared/tools/locust-2.12.1");
    /** Debian's own command: its version string is empty. */
    static final Path DEBIAN_LOCUST = Path.of("/usr/bin/locust");

    private final Process process;
    private final Path log;

    private PythonLocust(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} (the launcher or Debian's plain locust) with {@code args} in {@code dir}. */
    static PythonLocust start(Path command, Path dir, String name, String... args) throws IOException {
        requireInstalled();
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/python3");
        cmd.add(command.toString());
        cmd.addAll(List.of(args));
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LOCUST_"));
        pb.environment().put("PYTHONUNBUFFERED", "1");
        return new PythonLocust(pb.start(), log);
    }

    static void requireInstalled() {
        if (!Files.isExecutable(DEBIAN_LOCUST) || !Files.isRegularFile(Path.of("/usr/bin/python3"))) {
            throw new AssertionError("Python Locust is not installed: run apt-get install -y python3-locust (./run-tests does)");
        }
        if (!Files.isRegularFile(LAUNCHER)) {
            throw new AssertionError("shared/tools/locust-2.12.1 not found next to the project");
        }
    }

    private static Path locate(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return Path.of("/work").resolve(relative);
    }

    /** Copies a test resource (a Python locustfile) into {@code dir}. */
    static Path resource(String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(Path.of(name).getFileName().toString());
        try (var in = PythonLocust.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IOException("test resource " + name + " not found");
            }
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    /** Waits for the process to end by itself. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("locust did not exit within " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
