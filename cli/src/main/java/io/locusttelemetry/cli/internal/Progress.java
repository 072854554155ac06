package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.Timespan;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The ramp-up progress line: on a terminal one line rewritten in place, elsewhere (CI logs) a plain
 * line whenever the count changed, at most once a second, so logs stay readable.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final long runTimeSeconds;
    private int lastShown = -1;
    private boolean lineOpen;

    public Progress(PrintStream out, boolean terminal, long runTimeSeconds) {
        this.out = out;
        this.terminal = terminal;
        this.runTimeSeconds = runTimeSeconds;
    }

    /** Whether stdout is an interactive terminal. */
    public static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even when redirected; ask it when the method exists
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Shows the spawning state; called about once a second while users are being spawned. */
    public synchronized void spawning(int users, int target) {
        if (users == lastShown && !terminal) {
            return;
        }
        lastShown = users;
        String line = String.format(Locale.ROOT, "Ramping up: %d/%d users spawned, %s%s", users, target, Timespan.format(elapsed()),
                runTimeSeconds > 0 ? " of " + Timespan.format(runTimeSeconds) : " elapsed");
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            lineOpen = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends an open in-place line before other output is printed. */
    public synchronized void closeLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    public synchronized void done(int users) {
        closeLine();
        out.println(String.format(Locale.ROOT, "All %d users spawned after %s", users, Timespan.format(elapsed())));
        out.flush();
    }

    private long elapsed() {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }
}
