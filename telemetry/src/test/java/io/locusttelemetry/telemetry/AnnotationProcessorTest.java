package io.locusttelemetry.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.Environment;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compiles small plugins with javac, finding the processor on the classpath as a user's build does. */
class AnnotationProcessorTest {

    private static String classpath() throws URISyntaxException {
        List<String> entries = new ArrayList<>();
        for (Class<?> c : List.of(TelemetryRecorderPluginBase.class, Environment.class, org.slf4j.Logger.class)) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private record Result(boolean success, List<String> errors) {}

    private static Result compile(Path src, Path out, String... sources) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<Path> files = new ArrayList<>();
        for (String source : sources) {
            String name = source.replaceAll("(?s).*?public (?:final |abstract )?class (\\w+).*", "$1");
            Path file = src.resolve("p").resolve(name + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            files.add(file);
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("-proc:full", "-classpath", classpath(), "-d", out.toString(), "--release", "21");
            boolean ok = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getMessage(Locale.ROOT))
                    .collect(Collectors.toList());
            return new Result(ok, errors);
        }
    }

    private static String plugin(String header, String body) {
        return """
                package p;
                import io.locusttelemetry.engine.Environment;
                import io.locusttelemetry.telemetry.*;
                import java.util.List;
                %s {
                    %s
                    @Override public String id() { return "x"; }
                    @Override public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) { return List.of(); }
                    @Override public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) { return List.of(); }
                }
                """.formatted(header, body);
    }

    @Test
    void writesTheServiceFileForValidPlugins(@TempDir Path dir) throws Exception {
        Result r = compile(dir.resolve("src"), dir.resolve("out"),
                plugin("@TelemetryRecorderPlugin public final class GoodPlugin extends TelemetryRecorderPluginBase", ""),
                """
                package p;
                import io.locusttelemetry.engine.Environment;
                import io.locusttelemetry.telemetry.*;
                import java.util.List;
                public final class Holder {
                    @TelemetryRecorderPlugin
                    public static class Nested extends TelemetryRecorderPluginBase {
                        public Nested() {}
                        @Override public String id() { return "nested"; }
                        @Override public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) { return List.of(); }
                        @Override public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) { return List.of(); }
                    }
                }
                """);

        assertThat(r.errors()).isEmpty();
        assertThat(r.success()).isTrue();
        Path services = dir.resolve("out/META-INF/services/io.locusttelemetry.telemetry.TelemetryRecorderPluginBase");
        assertThat(Files.readAllLines(services)).containsExactly("p.GoodPlugin", "p.Holder$Nested");

        // an incremental build compiling only a new plugin keeps the entries of classes still in the output
        Path out = dir.resolve("out");
        Path src = dir.resolve("src2/p/SecondPlugin.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, plugin("@TelemetryRecorderPlugin public final class SecondPlugin extends TelemetryRecorderPluginBase", ""));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-proc:full", "-classpath",
                classpath() + File.pathSeparator + out, "-d", out.toString(), "--release", "21", src.toString());
        assertThat(rc).isZero();
        assertThat(Files.readAllLines(services)).containsExactly("p.GoodPlugin", "p.Holder$Nested", "p.SecondPlugin");
    }

    @Test
    void refusesClassesServiceLoaderCannotCreate(@TempDir Path dir) throws Exception {
        Result r = compile(dir.resolve("src"), dir.resolve("out"),
                plugin("@TelemetryRecorderPlugin public abstract class AbstractPlugin extends TelemetryRecorderPluginBase", ""),
                plugin("@TelemetryRecorderPlugin public final class NoDefaultConstructor extends TelemetryRecorderPluginBase",
                        "public NoDefaultConstructor(int x) {}"),
                plugin("@TelemetryRecorderPlugin public final class PrivateConstructor extends TelemetryRecorderPluginBase",
                        "private PrivateConstructor() {}"),
                """
                package p;
                @io.locusttelemetry.telemetry.TelemetryRecorderPlugin
                public final class NotAPlugin {}
                """,
                """
                package p;
                import io.locusttelemetry.engine.Environment;
                import io.locusttelemetry.telemetry.*;
                import java.util.List;
                public final class Outer {
                    @TelemetryRecorderPlugin
                    public class Inner extends TelemetryRecorderPluginBase {
                        @Override public String id() { return "inner"; }
                        @Override public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) { return List.of(); }
                        @Override public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) { return List.of(); }
                    }
                }
                """);

        assertThat(r.success()).isFalse();
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("p.AbstractPlugin must not be abstract"));
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("p.NoDefaultConstructor needs a public constructor without arguments"));
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("p.PrivateConstructor needs a public constructor without arguments"));
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("p.NotAPlugin must extend io.locusttelemetry.telemetry.TelemetryRecorderPluginBase"));
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("p.Outer.Inner must be a static nested class"));
        assertThat(dir.resolve("out/META-INF/services/io.locusttelemetry.telemetry.TelemetryRecorderPluginBase")).doesNotExist();
    }
}
