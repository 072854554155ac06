package io.locusttelemetry.testing;

import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny real {@link CommandLineParser}: keeps the groups and options it is given, and parses
 * {@code --flag value} pairs (repeats collected for List options) with defaults and type conversion,
 * as the CLI does. Environment variables are passed as a map so tests stay hermetic.
 */
public final class RecordingCommandLineParser implements CommandLineParser {
    private final Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();

    @Override
    public OptionGroup addArgumentGroup(String title) {
        if (groups.containsKey(title)) {
            throw new IllegalArgumentException("group added twice: " + title);
        }
        List<OptionSpec> options = new ArrayList<>();
        groups.put(title, options);
        return new OptionGroup() {
            @Override
            public OptionGroup addArgument(OptionSpec option) {
                for (List<OptionSpec> g : groups.values()) {
                    for (OptionSpec o : g) {
                        if (o.names().stream().anyMatch(option.names()::contains)) {
                            throw new IllegalArgumentException("option added twice: " + option.names());
                        }
                    }
                }
                options.add(option);
                return this;
            }
        };
    }

    /** The groups added so far, by title, in the order they were added, each with its options. */
    public Map<String, List<OptionSpec>> groups() {
        return groups;
    }

    /** The option one of whose names is {@code flag}; fails when there is none. */
    public OptionSpec option(String flag) {
        return groups.values().stream().flatMap(List::stream).filter(o -> o.names().contains(flag)).findFirst()
                .orElseThrow(() -> new AssertionError("no option " + flag + " in " + groups));
    }

    /** Parses {@code --flag value} pairs, with {@code env} as the environment variables. */
    public ParsedOptions parse(Map<String, String> env, String... args) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            OptionSpec o = option(args[i]);
            given.computeIfAbsent(o.dest(), k -> new ArrayList<>()).add(args[i + 1]);
        }
        for (List<OptionSpec> g : groups.values()) {
            for (OptionSpec o : g) {
                List<String> raw = given.get(o.dest());
                if (raw == null && o.envVar() != null && env.containsKey(o.envVar())) {
                    raw = List.of(env.get(o.envVar()));
                }
                if (raw == null && o.defaultValue() != null) {
                    raw = List.of(o.defaultValue());
                }
                values.put(o.dest(), raw == null ? null : convert(o.type(), raw));
            }
        }
        return new ParsedOptions(values);
    }

    private static Object convert(Class<?> type, List<String> raw) {
        if (type == List.class) {
            return List.copyOf(raw);
        }
        String v = raw.get(raw.size() - 1);
        if (type == Integer.class) {
            return Integer.parseInt(v);
        }
        if (type == Long.class) {
            return Long.parseLong(v);
        }
        if (type == Double.class) {
            return Double.parseDouble(v);
        }
        if (type == Boolean.class) {
            return Boolean.parseBoolean(v);
        }
        return v;
    }
}
