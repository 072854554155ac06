package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A telemetry recorder plugin written as docs/recorder-plugins.md shows, but inside the locustfile
 * and registered by its annotation alone: found for a .java locustfile, a folder and a jar, its
 * options in {@code -f ... --help}, its records in the run, on every worker of a cluster; and the
 * registry's rules (duplicate ids, a class that cannot be a plugin) hold for it.
 */
class LocustfilePluginTest {
    private static final String PLUG = "src/test/resources/locustfiles/PlugUser.java";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void helpWithTheLocustfileListsItsPluginsOptions() {
        Jlocust.Result withFile = Jlocust.run("-f", PLUG, "--help");
        assertThat(withFile.exitCode()).as(withFile.err()).isZero();
        assertThat(withFile.out()).contains("Hello recorder").contains("--hello-interval").contains("LOCUST_TELEMETRY_HELLO_INTERVAL");
        assertThat(Jlocust.run("--help").out()).doesNotContain("--hello-interval");
    }

    @Test
    void aPluginInTheLocustfileRecords(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("t.jsonl");
        Jlocust.Result r = Jlocust.run("-f", PLUG, "-t", "3s", "-u", "2", "-r", "10", "--testplan", "plug",
                "--enable-telemetry-recorder", "json,hello", "--hello-interval", "0.5", "--lt-json-output", out.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        List<JsonNode> hello = named(out, "hello.user.metric.activity");
        assertThat(hello).hasSizeGreaterThanOrEqualTo(3).allSatisfy(l -> {
            assertThat(l.path("name").asText()).isEqualTo("locust_telemetry.hello");
            assertThat(l.path("telemetry").path("source").asText()).isEqualTo("LocalRunner");
            assertThat(l.path("telemetry").path("testplan").asText()).isEqualTo("plug");
        });
        assertThat(hello.getLast().path("telemetry").path("requests").asLong()).isPositive();
        String runId = named(out, "locust.tl.event.test.start").get(0).path("telemetry").path("run_id").asText();
        assertThat(hello).allSatisfy(l -> assertThat(l.path("telemetry").path("run_id").asText()).isEqualTo(runId));
    }

    @Test
    void aJarWithoutServiceFileAndOneWithItBothGiveThePluginOnce(@TempDir Path dir) throws Exception {
        for (boolean processor : new boolean[] {false, true}) {
            Path jar = jar(dir.resolve(processor ? "with-services" : "annotation-only"), processor, Path.of(PLUG));
            try (var entries = new java.util.jar.JarFile(jar.toFile())) {
                assertThat(entries.getEntry("META-INF/services/io.locusttelemetry.telemetry.TelemetryRecorderPluginBase") != null)
                        .isEqualTo(processor);
            }
            Path out = dir.resolve(processor + ".jsonl");
            Jlocust.Result r = Jlocust.run("-f", jar.toString(), "-t", "2s", "--testplan", "plug", "--enable-telemetry-recorder",
                    "hello,json", "--hello-interval", "0.5", "--lt-json-output", out.toString());
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(named(out, "hello.user.metric.activity")).isNotEmpty();
        }
    }

    @Test
    void aFolderOfLocustfilesKeepsTheDuplicateIdRule(@TempDir Path dir) throws Exception {
        Files.copy(Path.of(PLUG), dir.resolve("PlugUser.java"));
        Files.writeString(dir.resolve("Other.java"), """
                import io.locusttelemetry.engine.Environment;
                import io.locusttelemetry.telemetry.*;
                import java.util.List;
                public class Other {
                    @TelemetryRecorderPlugin
                    public static final class Json extends TelemetryRecorderPluginBase {
                        @Override public String id() { return "json"; }
                        @Override public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) { return List.of(); }
                        @Override public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) { return List.of(); }
                    }
                }
                """);
        Jlocust.Result r = Jlocust.run("-f", dir.toString(), "-t", "1s", "--testplan", "p", "--enable-telemetry-recorder", "hello");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("telemetry recorder id 'json' is declared by two plugins").contains("Other$Json");
    }

    @Test
    void aPluginClassThatCannotBeCreatedIsOneClearLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Hidden.java"), """
                import io.locusttelemetry.engine.*;
                import io.locusttelemetry.telemetry.*;
                import java.util.List;
                public class Hidden extends User {
                    @Task void t() {}
                    @TelemetryRecorderPlugin
                    static final class Secret extends TelemetryRecorderPluginBase {
                        @Override public String id() { return "secret"; }
                        @Override public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) { return List.of(); }
                        @Override public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) { return List.of(); }
                    }
                }
                """);
        Jlocust.Result r = Jlocust.run("-f", dir.resolve("Hidden.java").toString(), "-t", "1s");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("@TelemetryRecorderPlugin: Hidden$Secret must be public");
    }

    @Test
    void everyWorkerOfAClusterGetsTheLocustfilesPlugin(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cluster.jsonl");
        Jlocust.Result r = Jlocust.run("-f", PLUG, "--processes", "2", "--master-bind-host", "127.0.0.1", "--master-bind-port", "0",
                "-u", "4", "-r", "10", "-t", "4s", "--testplan", "plug", "--enable-telemetry-recorder", "json,hello",
                "--hello-interval", "0.5", "--lt-json-output", out.toString(), "--only-summary");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        List<JsonNode> hello = named(out, "hello.user.metric.activity");
        assertThat(hello.stream().map(l -> l.path("telemetry").path("source_id").asText()).distinct())
                .contains("master", "worker-0", "worker-1");
        String runId = named(out, "locust.tl.event.test.start").get(0).path("telemetry").path("run_id").asText();
        assertThat(hello).allSatisfy(l -> assertThat(l.path("telemetry").path("run_id").asText()).isEqualTo(runId));
    }

    private static List<JsonNode> named(Path file, String name) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("{")) {
                JsonNode n = JSON.readTree(line);
                if (name.equals(n.path("telemetry").path("telemetry_name").asText())) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Compiles the sources into a jar: with the annotation processor (a services file) or without. */
    private static Path jar(Path dir, boolean processor, Path... sources) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                processor ? "-proc:full" : "-proc:none"));
        for (Path s : sources) {
            args.add(s.toString());
        }
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).isZero();
        Path jar = dir.resolve("plug.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                try (OutputStream ignored = null) {
                    Files.copy(f, out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }
}
