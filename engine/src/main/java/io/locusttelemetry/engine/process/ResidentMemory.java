package io.locusttelemetry.engine.process;

import io.locusttelemetry.engine.internal.ProcFs;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;

/**
 * Resident memory of this process: {@code VmRSS} from {@code /proc/self/status} on Linux, what
 * OSHI reports elsewhere (loaded only then), and the JVM's committed heap where neither answers.
 * Thread-safe.
 */
public final class ResidentMemory {
    /** Whether /proc answers; otherwise OSHI. */
    private volatile boolean procFs = true;
    private OSProcess process;
    private boolean processLooked;

    /** Resident set size of this process in bytes (the committed heap when the platform does not tell). */
    public long bytes() {
        if (procFs) {
            long rss = ProcFs.residentBytes();
            if (rss > 0) {
                return rss;
            }
            procFs = false;
        }
        try {
            synchronized (this) {
                if (!processLooked) {
                    processLooked = true;
                    process = new SystemInfo().getOperatingSystem().getCurrentProcess();
                }
                if (process != null) {
                    process.updateAttributes();
                    long rss = process.getResidentSetSize();
                    if (rss > 0) {
                        return rss;
                    }
                }
            }
        } catch (RuntimeException | LinkageError ignored) {
            // fall through
        }
        return Runtime.getRuntime().totalMemory();
    }
}
