package io.locusttelemetry.engine.process;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps code that runs in the background, a few times a second or less, in the JVM's quick
 * compiler (C1) instead of letting the optimizing one (C2) take over.
 *
 * <p>Such code (an exporter serializing a batch every few seconds, a master handling a few dozen
 * messages a second) reaches C2's thresholds minutes into a run, and C2 then spends more CPU on
 * it than the optimized code ever saves, on the cores that generate the load: one OTLP span
 * serializer alone took 1.7 s of C2 time a minute into a run at 10,000 requests a second. The
 * exclusion is a JDK compiler directive added at run time, so it holds however the JVM was
 * started. A JVM started with its own JIT flags is left alone, a system property set to
 * {@code true} keeps C2 for one caller, and any failure only costs the optimization.
 */
public final class CompilerDirectives {
    private static final Logger log = LoggerFactory.getLogger(CompilerDirectives.class);
    private static final Set<String> ADDED = ConcurrentHashMap.newKeySet();

    private CompilerDirectives() {}

    /**
     * Excludes the methods matching {@code patterns} from C2, once per JVM for the same patterns.
     *
     * @param keepC2Property a system property that, set to {@code true}, keeps C2 for these methods
     * @param patterns       compiler directive patterns, {@code package/Class.method} with {@code *}
     *                       at either end of each part: {@code "okhttp3/*.*"}, {@code "*.*"}
     * @return whether the directive is in place
     */
    public static boolean excludeFromC2(String keepC2Property, String... patterns) {
        return excludeFromC2(keepC2Property, List.of(), patterns);
    }

    /**
     * Excludes the methods matching {@code patterns} from C2 except those matching {@code keep},
     * which C2 may still compile (the first pattern a method matches decides): code that runs
     * thousands of times a second inside code that mostly does not.
     *
     * @see #excludeFromC2(String, String...)
     */
    public static boolean excludeFromC2(String keepC2Property, List<String> keep, String... patterns) {
        if (Boolean.getBoolean(keepC2Property) || ownJitFlags()) {
            return false;
        }
        String directive = "[" + java.util.stream.Stream.concat(
                        keep.stream().map(p -> "{ match: \"" + p + "\", c2: { Exclude: false } }"),
                        java.util.Arrays.stream(patterns).map(p -> "{ match: \"" + p + "\", c2: { Exclude: true } }"))
                .collect(Collectors.joining(", ")) + "]";
        if (!ADDED.add(directive)) {
            return true;
        }
        Path file = null;
        try {
            file = Files.createTempFile("jlocust-jit", ".json");
            Files.writeString(file, directive, StandardCharsets.US_ASCII);
            add(file);
            log.debug("C2 excluded for {} but {} (-D{}=true keeps it)", List.of(patterns), keep, keepC2Property);
            return true;
        } catch (Exception | LinkageError e) {
            ADDED.remove(directive);
            log.debug("could not add the compiler directive for {}: {}", List.of(patterns), e.toString());
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Exception ignored) {
                    // a temporary file of a few bytes
                }
            }
        }
    }

    /**
     * Runs the JDK's {@code Compiler.directives_add}. Directly when the JVM opens the JDK's
     * diagnostic command implementation to us (the {@code jlocust} launcher passes {@code
     * --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED}): about 80 ms of CPU.
     * Otherwise through the platform MBean server, whose start costs about 0.6 s of CPU.
     */
    private static void add(Path file) throws Exception {
        String command = "Compiler.directives_add " + file;
        Object output;
        try {
            Class<?> impl = Class.forName("com.sun.management.internal.DiagnosticCommandImpl");
            java.lang.reflect.Method get = impl.getDeclaredMethod("getDiagnosticCommandMBean");
            java.lang.reflect.Method execute = impl.getDeclaredMethod("executeDiagnosticCommand", String.class);
            get.setAccessible(true);
            execute.setAccessible(true);
            output = execute.invoke(get.invoke(null), command);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notOpen) {
            output = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
        }
        if (output != null && !String.valueOf(output).contains("directives added")) {
            throw new IllegalStateException(String.valueOf(output).trim());
        }
    }

    private static boolean ownJitFlags() {
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-XX:TieredStopAtLevel") || a.contains("TieredCompilation") || a.startsWith("-XX:CompilerDirectivesFile")
                    || a.startsWith("-XX:CompileCommand") || a.equals("-Xint") || a.equals("-Xcomp")) {
                return true;
            }
        }
        return false;
    }
}
