package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.io.PrintStream;
import java.util.List;

/**
 * The console of one test run: the ramp-up progress line and the tables, printed whole (a table
 * is never interleaved with another or with the progress line).
 */
public final class ConsoleOutput {
    private final PrintStream out;
    private final Progress progress;

    public ConsoleOutput(PrintStream out, boolean terminal, long runTimeSeconds) {
        this.out = out;
        this.progress = new Progress(out, terminal, runTimeSeconds);
    }

    public PrintStream out() {
        return out;
    }

    public Progress progress() {
        return progress;
    }

    /** The statistics table; {@code current} with the last ~10 s rates, else the whole run's. */
    public void printTable(StatsSnapshot stats, boolean current) {
        printLines(ConsoleStats.statsTable(stats, current));
    }

    /** Lines followed by an empty line; nothing for no lines. */
    public synchronized void printLines(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        progress.closeLine();
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        sb.append('\n');
        out.print(sb);
        out.flush();
    }

    /** Text as it is (e.g. JSON), with a line end. */
    public synchronized void println(String text) {
        progress.closeLine();
        out.println(text);
        out.flush();
    }
}
