package io.locusttelemetry.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Captured Locust frames: {@code shared/vectors} when it sits next to the checkout (the team's
 * current captures), else the copy of the same captures in this module's test resources
 * ({@code locust-vectors}), so a lone clone runs the codec tests too.
 */
final class Vectors {

    static final String PROPERTY = "locust.vectors.dir";
    static final String V2_12_1 = "locust-2.12.1";
    static final String V2_46_3 = "locust-2.46.3";

    /** One captured frame with its index entry. */
    record Vector(String version, String file, String direction, String type, JsonNode entry, byte[] bytes) {

        boolean fromWorker() {
            return direction.equals("worker-to-master");
        }

        Message decode() throws CorruptMessageException {
            return MessageCodec.decode(bytes);
        }

        @Override
        public String toString() {
            return version + "/" + file;
        }
    }

    private static Path root;

    private Vectors() {
    }

    static synchronized Path root() {
        if (root != null) {
            return root;
        }
        List<Path> tried = new ArrayList<>();
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured).toAbsolutePath();
            tried.add(p);
            if (Files.isDirectory(p.resolve(V2_12_1))) {
                return root = p;
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared").resolve("vectors");
            tried.add(p);
            if (Files.isDirectory(p.resolve(V2_12_1))) {
                return root = p;
            }
        }
        Path bundled = Path.of("src", "test", "resources", "locust-vectors").toAbsolutePath();
        tried.add(bundled);
        if (Files.isDirectory(bundled.resolve(V2_12_1))) {
            return root = bundled;
        }
        throw new AssertionError("Locust wire vectors not found. Looked for a directory containing "
                + V2_12_1 + " at: " + tried + ". Set -D" + PROPERTY + "=<path to shared/vectors>.");
    }

    static List<Vector> all() {
        List<Vector> out = new ArrayList<>();
        out.addAll(load(V2_12_1));
        out.addAll(load(V2_46_3));
        return out;
    }

    private static final java.util.Map<String, List<Vector>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    static List<Vector> load(String version) {
        return CACHE.computeIfAbsent(version, Vectors::read);
    }

    private static List<Vector> read(String version) {
        Path dir = root().resolve(version);
        try {
            JsonNode index = new ObjectMapper().readTree(dir.resolve("index.json").toFile());
            List<Vector> out = new ArrayList<>();
            for (JsonNode e : index) {
                String file = e.get("file").asText();
                out.add(new Vector(version, file, e.get("direction").asText(), e.get("type").asText(), e,
                        Files.readAllBytes(dir.resolve(file))));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vectors of " + version + " in " + dir, e);
        }
    }

    static Vector get(String version, String file) {
        return load(version).stream().filter(v -> v.file().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("no vector " + version + "/" + file));
    }

    /** Every .msgpack file present on disk, to make sure the index does not miss any. */
    static List<String> filesOnDisk(String version) {
        Path dir = root().resolve(version);
        try (var stream = Files.walk(dir)) {
            return stream.filter(p -> p.toString().endsWith(".msgpack"))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
