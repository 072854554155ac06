package io.locusttelemetry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A process a test started (a Python Locust, a jlocust JVM), its output in a file; ended on close. */
public class PeerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String name;

    /**
     * @param process what was started
     * @param log     the file its stdout and stderr go to
     * @param name    what it is called in a failure message ("locust", "jlocust")
     */
    protected PeerProcess(Process process, Path log, String name) {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    /** Everything it printed so far ("" before the first line). */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself and returns its exit status; fails with its output after {@code seconds}. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not exit within " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    /** kill -9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then kill -9 if it has not ended within 5 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
