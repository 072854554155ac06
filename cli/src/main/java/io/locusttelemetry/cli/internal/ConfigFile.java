package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.OptionSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Locust's config file ({@code locust.conf}, {@code ~/.locust.conf}, {@code --config}): {@code key = value},
 * {@code key: value} or {@code key value} lines, a bare {@code key} for a flag, {@code #} and {@code ;}
 * comments, {@code [sections]} (ignored, as Locust does). Lines it cannot read and keys that are no
 * option are not silently dropped: {@link #warnings} names each one with its file and line.
 */
public final class ConfigFile {
    /** Past this many, the remaining warnings are summed up in one line. */
    static final int MAX_WARNINGS = 20;
    /** How much of a line a warning quotes. */
    private static final int QUOTE_LENGTH = 60;

    /**
     * One line: {@code key = value}, or one that could not be read ({@code key} null, {@code unreadable}
     * the warning). {@code file} is null for a value that came from no file (the demo's defaults).
     */
    record Entry(String key, String value, Path file, int line, String unreadable) {}

    private final List<Entry> entries;

    private ConfigFile(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No file. */
    public static ConfigFile empty() {
        return new ConfigFile(List.of());
    }

    /**
     * Reads a config file. Bytes that are not UTF-8 are read as U+FFFD (the line then shows up in
     * a warning rather than failing the run).
     *
     * @throws CliException when the file cannot be read at all
     */
    public static ConfigFile read(Path path) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(Files.readAllBytes(path))).toString();
        } catch (IOException | OutOfMemoryError e) {
            throw new CliException("Cannot read config file " + path + ": "
                    + (e instanceof IOException io ? ReportFiles.reason(io) : "it is too large"));
        }
        List<Entry> entries = new ArrayList<>();
        int n = 0;
        for (String raw : text.split("\r\n|\n|\r", -1)) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.equals("---")
                    || line.startsWith("[") && line.endsWith("]")) {
                continue;
            }
            Entry e = parseLine(line, path, n);
            entries.add(e != null ? e
                    : new Entry(null, null, path, n, path + ":" + n + ": not a 'key = value' line, ignored: " + quote(line)));
        }
        return new ConfigFile(entries);
    }

    /** {@code key [=|:|space] value}, a bare key (a flag: {@code true}), an inline {@code # comment} dropped; null if none of these. */
    private static Entry parseLine(String line, Path path, int n) {
        int end = 0;
        while (end < line.length() && isKeyChar(line.charAt(end))) {
            end++;
        }
        if (end == 0) {
            return null;
        }
        String key = line.substring(0, end);
        String rest = line.substring(end).strip();
        if (rest.startsWith("=") || rest.startsWith(":")) {
            rest = rest.substring(1).strip();
        } else if (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
            return null;
        }
        String value = stripInlineComment(rest);
        if (value.isEmpty() && rest.isEmpty()) {
            value = "true";
        }
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            value = value.substring(1, value.length() - 1);
        }
        return new Entry(key.replace('_', '-'), value, path, n, null);
    }

    /** ConfigArgParse's key: anything but separators, comment marks, whitespace and control characters. */
    private static boolean isKeyChar(char c) {
        return c > ' ' && c != '=' && c != ':' && c != '#' && c != ';' && c != 0x7f && !Character.isWhitespace(c)
                && !Character.isISOControl(c) && c != Text.REPLACEMENT;
    }

    /** A comment after a value starts with whitespace and then {@code #} or {@code ;}. */
    private static String stripInlineComment(String value) {
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == '#' || c == ';') && Character.isWhitespace(value.charAt(i - 1))) {
                return value.substring(0, i).strip();
            }
        }
        return value;
    }

    private static String quote(String line) {
        String shown = line.length() > QUOTE_LENGTH ? line.substring(0, QUOTE_LENGTH) + "... (" + line.length() + " characters)" : line;
        return "'" + Text.escapeControl(shown) + "'";
    }

    /** The files' values by key (long option name without dashes, {@code _} read as {@code -}); a later file wins. */
    public Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.key() != null) {
                out.put(e.key(), e.value());
            }
        }
        return out;
    }

    /** This file's entries, then {@code later}'s (which win). */
    public ConfigFile then(ConfigFile later) {
        List<Entry> e = new ArrayList<>(entries);
        e.addAll(later.entries);
        return new ConfigFile(e);
    }

    /** Adds a value as if the file had it, unless it has (the demo's defaults). */
    public ConfigFile withDefault(String key, String value) {
        if (values().containsKey(key)) {
            return this;
        }
        List<Entry> e = new ArrayList<>(entries);
        e.add(new Entry(key, value, null, 0, null));
        return new ConfigFile(e);
    }

    /**
     * One line per line that is not {@code key = value} and per key that is no option of
     * {@code options} (as Locust warns of unknown arguments), in file order; at most
     * {@link #MAX_WARNINGS}, then one line with how many more.
     */
    public List<String> warnings(List<OptionSpec> options) {
        Set<String> known = new HashSet<>();
        for (OptionSpec o : options) {
            known.add(OptionRegistry.configKey(o));
        }
        List<String> all = new ArrayList<>();
        for (Entry e : entries) {
            if (e.unreadable() != null) {
                all.add(e.unreadable());
            } else if (e.file() != null && !known.contains(e.key())) {
                all.add(e.file() + ":" + e.line() + ": unknown option '" + Text.escapeControl(quoteKey(e.key()))
                        + "', ignored (see jlocust --help for the options)");
            }
        }
        if (all.size() <= MAX_WARNINGS) {
            return all;
        }
        List<String> out = new ArrayList<>(all.subList(0, MAX_WARNINGS));
        out.add("... and " + (all.size() - MAX_WARNINGS) + " more lines of the config file ignored");
        return out;
    }

    private static String quoteKey(String key) {
        return key.length() > QUOTE_LENGTH ? key.substring(0, QUOTE_LENGTH) + "..." : key;
    }
}
