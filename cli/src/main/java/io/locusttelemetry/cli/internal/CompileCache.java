package io.locusttelemetry.cli.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classes compiled from {@code .java} locustfiles, kept on disk between runs.
 *
 * <p>An entry is found by a SHA-256 of everything the compilation depends on: the source files'
 * paths and contents, the compiler options, the Java runtime's version, and each classpath entry's
 * size and modification time (for a folder, those of its class files). Any change compiles again.
 * The cache lives in {@code $JLOCUST_CACHE_DIR}, else {@code $XDG_CACHE_HOME/jlocust}, else
 * {@code ~/.cache/jlocust}; {@code JLOCUST_COMPILE_CACHE=off} turns it off. A cache that cannot be
 * read or written only costs the compilation; entries unused for 30 days are removed.
 */
final class CompileCache {
    private static final Logger log = LoggerFactory.getLogger(CompileCache.class);
    private static final int MAGIC = 0x4A4C4343; // "JLCC"
    private static final String FORMAT = "jlocust-compile-cache-1";
    private static final String SUFFIX = ".classes";
    private static final Duration UNUSED = Duration.ofDays(30);
    static final CompileCache OFF = new CompileCache(null);

    private final Path dir;

    CompileCache(Path dir) {
        this.dir = dir;
    }

    static CompileCache fromEnvironment() {
        if ("off".equalsIgnoreCase(System.getenv("JLOCUST_COMPILE_CACHE"))) {
            return OFF;
        }
        String explicit = System.getenv("JLOCUST_CACHE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return new CompileCache(Path.of(explicit).resolve("locustfiles"));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return new CompileCache(Path.of(xdg, "jlocust", "locustfiles"));
        }
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() || home.equals("?") ? OFF : new CompileCache(Path.of(home, ".cache", "jlocust", "locustfiles"));
    }

    /** The entry's name for this compilation, or null when the cache is off or a dependency cannot be read. */
    String key(List<Path> sources, List<String> options) {
        if (dir == null) {
            return null;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            text(sha, FORMAT);
            text(sha, Runtime.version().toString());
            for (String o : options) {
                text(sha, o);
            }
            int cp = options.indexOf("-classpath");
            if (cp >= 0 && cp + 1 < options.size()) {
                for (String entry : options.get(cp + 1).split(File.pathSeparator)) {
                    if (!entry.isEmpty()) {
                        text(sha, entry);
                        text(sha, stamp(Path.of(entry)));
                    }
                }
            }
            for (Path source : sources) {
                text(sha, source.toAbsolutePath().normalize().toString());
                byte[] content = Files.readAllBytes(source);
                text(sha, Integer.toString(content.length));
                sha.update(content);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            log.debug("compile cache: no key ({})", e.toString());
            return null;
        }
    }

    /** The classes of an entry by binary name, or null when there is none (or it is unreadable). */
    Map<String, byte[]> read(String key) {
        Path file = dir.resolve(key + SUFFIX);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC) {
                return null;
            }
            int count = in.readInt();
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                classes.put(name, bytes);
            }
            if (in.read() != -1 || classes.isEmpty()) {
                return null;
            }
            touch(file);
            log.debug("compile cache: {} classes from {}", classes.size(), file);
            return classes;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            log.debug("compile cache: cannot read {} ({}), compiling", file, e.toString());
            return null;
        }
    }

    /** Stores an entry (written whole, then moved into place, so a reader never sees half of it). */
    void write(String key, Map<String, byte[]> classes) {
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeInt(classes.size());
                for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                    out.writeUTF(c.getKey());
                    out.writeInt(c.getValue().length);
                    out.write(c.getValue());
                }
            }
            tmp = Files.createTempFile(dir, key, ".tmp");
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, dir.resolve(key + SUFFIX), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            pruneUnused();
        } catch (IOException | RuntimeException e) {
            log.debug("compile cache: cannot write to {} ({})", dir, e.toString());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // left for the next prune
                }
            }
        }
    }

    private void pruneUnused() throws IOException {
        Instant cutoff = Instant.now().minus(UNUSED);
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if ((name.endsWith(SUFFIX) || name.endsWith(".tmp")) && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException ignored) {
            // a read-only cache still serves; it is pruned by age a little early
        }
    }

    /** Size and modification time of a jar; of a folder, the count, total size and newest time of its class files. */
    private static String stamp(Path entry) throws IOException {
        if (Files.isRegularFile(entry)) {
            BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class);
            return "file:" + a.size() + ":" + a.lastModifiedTime().toMillis();
        }
        if (Files.isDirectory(entry)) {
            long[] sum = new long[3];
            try (Stream<Path> files = Files.walk(entry)) {
                files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                    try {
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                        sum[0]++;
                        sum[1] += a.size();
                        sum[2] = Math.max(sum[2], a.lastModifiedTime().toMillis());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            return "dir:" + sum[0] + ":" + sum[1] + ":" + sum[2];
        }
        return "absent";
    }

    private static void text(MessageDigest sha, String s) {
        sha.update(s.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }
}
