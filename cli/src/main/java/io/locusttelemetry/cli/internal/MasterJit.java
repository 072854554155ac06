package io.locusttelemetry.cli.internal;

import io.locusttelemetry.telemetry.QuickCompiler;

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
    private static final String KEEP_C2 = "jlocust.master.c2";

    private MasterJit() {}

    /** Excludes every method from C2 in this JVM; a failure only costs the optimization. */
    public static void quickCompilerOnly() {
        QuickCompiler.only(KEEP_C2, "*.*");
    }
}
