package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.OutputFiles;
import io.locusttelemetry.engine.ParsedOptions;

/**
 * Checks the command's output files ({@code --csv}, {@code --html}, {@code --logfile},
 * {@code --junit-xml}, {@code --json-file}) before
 * anything starts, so that a run never ends without the files it was asked for. Nothing is
 * created; recorder plugins check their own files ({@code --lt-json-output}) the same way, with
 * {@link OutputFiles}.
 */
public final class OutputPaths {
    /** The files {@code --csv PREFIX} writes. */
    static final String[] CSV_SUFFIXES = {"_stats.csv", "_failures.csv", "_exceptions.csv", "_stats_history.csv",
        "_intended_stats.csv", "_iterations.csv"};

    private OutputPaths() {}

    /** @throws CliException one line naming the option, the path and why it cannot be written */
    public static void check(ParsedOptions o) {
        String csv = o.getString("csv_prefix");
        if (csv != null) {
            for (String suffix : CSV_SUFFIXES) {
                checkFile("--csv", csv + suffix);
            }
        }
        if (o.getString("html_file") != null) {
            checkFile("--html", o.getString("html_file"));
        }
        if (o.getString("logfile") != null) {
            checkFile("--logfile", o.getString("logfile"));
        }
        if (o.getString("junit_xml") != null) {
            checkFile("--junit-xml", o.getString("junit_xml"));
        }
        if (o.getString("json_file") != null) {
            checkFile("--json-file", jsonFile(o.getString("json_file")));
        }
    }

    /** The file {@code --json-file FILE} writes: FILE, with {@code .json} added when it does not end with it (Locust adds it always). */
    public static String jsonFile(String file) {
        return file.endsWith(".json") ? file : file + ".json";
    }

    private static void checkFile(String option, String file) {
        try {
            OutputFiles.checkWritable(option, file);
        } catch (IllegalArgumentException e) {
            throw new CliException("Cannot write " + e.getMessage());
        }
    }
}
