package io.locusttelemetry.cli.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens report files. Text that cannot be encoded (an unpaired UTF-16 surrogate in a request name)
 * is written as U+FFFD instead of failing the whole file. No folder is created: the paths were
 * checked before the test ({@link OutputPaths}).
 */
public final class ReportFiles {
    private static final byte[] REPLACEMENT = String.valueOf(Text.REPLACEMENT).getBytes(StandardCharsets.UTF_8);

    private ReportFiles() {}

    /** A UTF-8 writer that replaces what it cannot encode; the file is created or truncated. */
    public static Writer writer(Path file) throws IOException {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(REPLACEMENT);
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), encoder), 64 * 1024);
    }

    /** Why writing failed, as one line: the exception's reason, with its kind when the text alone says little. */
    public static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return m == null ? e.getClass().getSimpleName() : Text.escapeControl(m);
    }
}
