package io.locusttelemetry.engine;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Checks a file an option names as output ({@code --html}, {@code --logfile}, a recorder's output
 * file) before a test starts, so that a run does not end without the file it was asked to write.
 * Nothing is created: a missing folder is an error, as in Locust. Messages quote the name as it
 * is; whoever prints them shows control characters escaped.
 */
public final class OutputFiles {
    private OutputFiles() {}

    /**
     * Checks that {@code file} can be created or replaced.
     *
     * @param option the option's flag, for the message, e.g. {@code --html}
     * @throws IllegalArgumentException one line saying why not, e.g.
     *                                  {@code --html out/report.html: out is not a directory (Not a directory)}
     */
    public static void checkWritable(String option, String file) {
        String shown = option + " " + file;
        Path path;
        try {
            if (file.isBlank()) {
                throw new IllegalArgumentException(option + ": the file name is empty");
            }
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(shown + ": not a valid file name (" + e.getReason() + ")");
        }
        Path absolute;
        try {
            absolute = path.toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(shown + ": not a valid file name (" + e.toString() + ")");
        }
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(shown + ": is a directory (Is a directory); give a file name");
        }
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new IllegalArgumentException(shown + ": not a file name");
        }
        if (!Files.isDirectory(parent)) {
            Path existing = parent;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && !Files.isDirectory(existing)) {
                throw new IllegalArgumentException(shown + ": " + existing.toString() + " is not a directory (Not a directory)");
            }
            throw new IllegalArgumentException(shown + ": the folder " + parent.toString()
                    + " does not exist (No such file or directory); create it first");
        }
        if (Files.exists(absolute) ? !Files.isWritable(absolute) : !Files.isWritable(parent)) {
            throw new IllegalArgumentException(shown + ": cannot write " + (Files.exists(absolute) ? "the file" : "in the folder "
                    + parent.toString()) + " (Permission denied)");
        }
    }
}
