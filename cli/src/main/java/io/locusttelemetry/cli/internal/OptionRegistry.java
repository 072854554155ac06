package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.OptionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every option jlocust knows, in titled groups: the core options and those plugins and locustfiles
 * add through {@link CommandLineParser}. The single source for parsing, {@code --help}, environment
 * variables, config file keys and the generated configuration reference.
 */
public final class OptionRegistry implements CommandLineParser {
    private final Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();
    private final Map<String, OptionSpec> byName = new LinkedHashMap<>();

    @Override
    public OptionGroup addArgumentGroup(String title) {
        List<OptionSpec> list = groups.computeIfAbsent(title, t -> new ArrayList<>());
        return new OptionGroup() {
            @Override
            public OptionGroup addArgument(OptionSpec option) {
                for (String n : option.names()) {
                    OptionSpec existing = byName.get(n);
                    if (existing != null) {
                        throw new CliException("option " + n + " is defined twice (groups '" + groupOf(existing) + "' and '" + title + "')");
                    }
                }
                list.add(option);
                option.names().forEach(n -> byName.put(n, option));
                return this;
            }
        };
    }

    private String groupOf(OptionSpec option) {
        for (Map.Entry<String, List<OptionSpec>> e : groups.entrySet()) {
            if (e.getValue().contains(option)) {
                return e.getKey();
            }
        }
        return "?";
    }

    /** Groups in the order they were added. */
    public Map<String, List<OptionSpec>> groups() {
        return groups;
    }

    public List<OptionSpec> all() {
        List<OptionSpec> out = new ArrayList<>();
        groups.values().forEach(out::addAll);
        return out;
    }

    public OptionSpec find(String name) {
        return byName.get(name);
    }

    /** The config-file key of an option: its long name without dashes, e.g. {@code spawn-rate}. */
    public static String configKey(OptionSpec option) {
        String longest = option.names().get(0);
        for (String n : option.names()) {
            if (n.startsWith("--") && (!longest.startsWith("--") || n.length() > longest.length())) {
                longest = n;
            }
        }
        return longest.replaceFirst("^-+", "");
    }
}
