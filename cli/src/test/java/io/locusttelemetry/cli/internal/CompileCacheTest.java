package io.locusttelemetry.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A .java locustfile is compiled once; later runs of the same file, on the same classpath, load the cached classes. */
class CompileCacheTest {
    private static final String SHOPPER = """
            import io.locusttelemetry.engine.HttpUser;
            import io.locusttelemetry.engine.Task;

            public class Shopper extends HttpUser {
                @Task void browse() { client.get("/"); }
                %s
            }
            """;

    @Test
    void anUnchangedLocustfileIsCompiledOnceAndAChangedOneAgain(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Shopper.java");
        Files.writeString(file, SHOPPER.formatted(""));
        CompileCache cache = new CompileCache(dir.resolve("cache"));

        int before = LocustfileLoader.COMPILATIONS.get();
        LocustfileLoader.Loaded first = LocustfileLoader.load(file.toString(), cache);
        assertThat(LocustfileLoader.COMPILATIONS.get()).isEqualTo(before + 1);
        assertThat(entries(dir.resolve("cache"))).hasSize(1);

        LocustfileLoader.Loaded second = LocustfileLoader.load(file.toString(), cache);
        assertThat(LocustfileLoader.COMPILATIONS.get()).as("served from the cache").isEqualTo(before + 1);
        assertThat(second.userClasses()).extracting(Class::getSimpleName).containsExactly("Shopper");
        assertThat(second.userClasses().get(0).getClassLoader()).isNotSameAs(first.userClasses().get(0).getClassLoader());
        assertThat(methodNames(second.userClasses().get(0))).containsExactly("browse");

        Files.writeString(file, SHOPPER.formatted("@Task void buy() { client.post(\"/cart\", r -> {}); }"));
        LocustfileLoader.Loaded changed = LocustfileLoader.load(file.toString(), cache);
        assertThat(LocustfileLoader.COMPILATIONS.get()).as("a changed file compiles again").isEqualTo(before + 2);
        assertThat(methodNames(changed.userClasses().get(0))).containsExactlyInAnyOrder("browse", "buy");
        assertThat(entries(dir.resolve("cache"))).hasSize(2);
    }

    @Test
    void aDamagedEntryIsCompiledAgainAndACompileErrorIsNotCached(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Shopper.java");
        Files.writeString(file, SHOPPER.formatted(""));
        CompileCache cache = new CompileCache(dir.resolve("cache"));
        LocustfileLoader.load(file.toString(), cache);
        for (Path entry : entries(dir.resolve("cache"))) {
            Files.write(entry, new byte[] {'J', 'L', 'C', 'C', 0, 0, 0, 9, 1, 2});
        }
        int before = LocustfileLoader.COMPILATIONS.get();
        assertThat(LocustfileLoader.load(file.toString(), cache).userClasses()).extracting(Class::getSimpleName).containsExactly("Shopper");
        assertThat(LocustfileLoader.COMPILATIONS.get()).isEqualTo(before + 1);

        Files.writeString(file, SHOPPER.formatted("@Task void broken() { undefined(); }"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> LocustfileLoader.load(file.toString(), cache)).isInstanceOf(CliException.class)
                    .hasMessageContaining("Shopper.java:");
        }
        assertThat(LocustfileLoader.COMPILATIONS.get()).isEqualTo(before + 3);
    }

    @Test
    void anUnwritableCacheOnlyCostsTheCompilation(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Shopper.java");
        Files.writeString(file, SHOPPER.formatted(""));
        Path notADir = dir.resolve("cache");
        Files.writeString(notADir, "a file where the cache folder should be");
        CompileCache cache = new CompileCache(notADir);
        int before = LocustfileLoader.COMPILATIONS.get();
        for (int i = 0; i < 2; i++) {
            assertThat(LocustfileLoader.load(file.toString(), cache).userClasses()).hasSize(1);
        }
        assertThat(LocustfileLoader.COMPILATIONS.get()).isEqualTo(before + 2);
        assertThat(LocustfileLoader.load(file.toString(), CompileCache.OFF).userClasses()).hasSize(1);
    }

    private static List<Path> entries(Path cacheDir) throws IOException {
        try (Stream<Path> s = Files.list(cacheDir)) {
            return s.filter(p -> p.toString().endsWith(".classes")).toList();
        }
    }

    private static List<String> methodNames(Class<?> c) {
        return Stream.of(c.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(io.locusttelemetry.engine.Task.class))
                .map(java.lang.reflect.Method::getName).toList();
    }
}
