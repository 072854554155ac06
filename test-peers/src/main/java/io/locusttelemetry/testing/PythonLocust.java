package io.locusttelemetry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real Python Locust process (Debian's python3-locust 2.12.1), its output in a file; killed on close. */
public final class PythonLocust extends PeerProcess {
    /**
     * Debian's 2.12.1 through a launcher that sets its version string to "2.12.1": the team's
     * {@code shared/tools/locust-2.12.1} when it sits beside the checkout, else the same launcher
     * bundled here ({@code peers/debian_locust.py}), so a lone clone still runs every test. For
     * checks by hand against another Locust, set
     * {@code TEST_LOCUST_LAUNCHER=.../shared/tools/locust-from-source} (with {@code LOCUST_SRC}) and
     * {@code TEST_LOCUST_VERSION=2.46.3}.
     */
    public static final Path LAUNCHER = System.getenv("TEST_LOCUST_LAUNCHER") != null
            ? Path.of(System.getenv("TEST_LOCUST_LAUNCHER")).toAbsolutePath() : launcher();
    /** The version the launcher's Locust reports. */
    public static final String LAUNCHER_VERSION = System.getenv().getOrDefault("TEST_LOCUST_VERSION", "2.12.1");
    /** Debian's own command: its version string is empty. */
    public static final Path DEBIAN_LOCUST = Path.of("/usr/bin/locust");

    private PythonLocust(Process process, Path log) {
        super(process, log, "locust");
    }

    /** Starts {@code command} (the launcher or Debian's plain locust) with {@code args} in {@code dir}. */
    public static PythonLocust start(Path command, Path dir, String name, String... args) throws IOException {
        requireInstalled();
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/python3");
        cmd.add(command.toString());
        cmd.addAll(List.of(args));
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LOCUST_") && !k.equals("LOCUST_SRC"));
        pb.environment().put("PYTHONUNBUFFERED", "1");
        return new PythonLocust(pb.start(), log);
    }

    public static void requireInstalled() {
        if (!Files.isExecutable(DEBIAN_LOCUST) || !Files.isRegularFile(Path.of("/usr/bin/python3"))) {
            throw new AssertionError("Python Locust is not installed: run apt-get install -y python3-locust (./run-tests does)");
        }
        if (!Files.isRegularFile(LAUNCHER)) {
            throw new AssertionError("Locust launcher not found: " + LAUNCHER);
        }
    }

    private static Path launcher() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path shared = p.resolve("shared/tools/locust-2.12.1");
            if (Files.isRegularFile(shared)) {
                return shared;
            }
        }
        try {
            Path dir = Files.createTempDirectory("locust-launcher");
            dir.toFile().deleteOnExit(); // registered first, deleted last
            Path bundled = resource("peers/debian_locust.py", dir);
            bundled.toFile().deleteOnExit();
            return bundled;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the bundled Locust launcher", e);
        }
    }

    /** Copies a test resource (a Python locustfile) into {@code dir}. */
    public static Path resource(String name, Path dir) throws IOException {
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
}
