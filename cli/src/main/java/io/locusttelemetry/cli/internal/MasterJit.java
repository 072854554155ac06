package io.locusttelemetry.cli.internal;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a master's code in the JVM's quick compiler (C1) instead of letting the optimizing one
 * (C2) take over.
 *
 * <p>A master handles a few dozen small messages a second (reports, heartbeats), most of its time
 * in system calls. At that rate its code reaches C2's thresholds over many minutes, and C2 then
 * spent more CPU compiling it than the optimized code ever saved: with 50 workers, C2 took about
 * 1.1 s of CPU a minute after the first minute, while the socket thread used the same 1.6 s a
 * minute with or without C2. The exclusion is added as a JDK compiler directive at run time, so it
 * holds however the JVM was started; a master started with its own JIT flags is left alone, and
 * {@code -Djlocust.master.c2=true} keeps C2.
 */
public final class MasterJit {
    private static final Logger log = LoggerFactory.getLogger(MasterJit.class);
    private static final String KEEP_C2 = "jlocust.master.c2";

    private MasterJit() {}

    /** Excludes every method from C2 in this JVM; a failure only costs the optimization. */
    public static void quickCompilerOnly() {
        if (Boolean.getBoolean(KEEP_C2) || ownJitFlags()) {
            return;
        }
        Path file = null;
        try {
            file = Files.createTempFile("jlocust-master-jit", ".json");
            Files.writeString(file, "[{ match: \"*.*\", c2: { Exclude: true } }]", StandardCharsets.US_ASCII);
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            log.debug("master: C2 excluded by a compiler directive (-D{}=true keeps it)", KEEP_C2);
        } catch (Exception | LinkageError e) {
            log.debug("master: could not add the compiler directive: {}", e.toString());
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

    private static boolean ownJitFlags() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String a : args) {
            if (a.startsWith("-XX:TieredStopAtLevel") || a.contains("TieredCompilation") || a.startsWith("-XX:CompilerDirectivesFile")
                    || a.startsWith("-XX:CompileCommand") || a.equals("-Xint") || a.equals("-Xcomp")) {
                return true;
            }
        }
        return false;
    }
}
