package io.locusttelemetry.cli.internal;

import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Parses the command line with picocli against the {@link OptionRegistry}, with Locust's precedence:
 * config file &lt; environment variable &lt; command line.
 */
public final class ArgumentParser {

    /** The outcome: option values by dest, and the positional user class names. */
    public record Result(ParsedOptions options, List<String> userClassNames) {}

    private final OptionRegistry registry;
    private final Map<String, String> env;

    public ArgumentParser(OptionRegistry registry, Map<String, String> env) {
        this.registry = registry;
        this.env = env;
    }

    public Result parse(String[] args, Map<String, String> configFile) {
        CommandSpec spec = CommandSpec.create().name("jlocust");
        spec.parser().caseInsensitiveEnumValuesAllowed(true).overwrittenOptionsAllowed(true);
        Map<OptionSpec, CommandLine.Model.OptionSpec> mapped = new LinkedHashMap<>();
        for (OptionSpec o : registry.all()) {
            CommandLine.Model.OptionSpec.Builder b = CommandLine.Model.OptionSpec.builder(o.names().toArray(new String[0]));
            if (o.type() == Boolean.class) {
                // a bare flag always means true: picocli would otherwise toggle a default of true to false
                b.type(Boolean.class).arity("0..1").fallbackValue("true");
            } else if (o.type() == List.class) {
                b.type(List.class).auxiliaryTypes(String.class).splitRegex(",").arity("1");
            } else {
                b.type(o.type()).arity("1");
            }
            if (o.paramLabel() != null) {
                b.paramLabel(o.paramLabel());
            }
            CommandLine.Model.OptionSpec built = b.build();
            spec.addOption(built);
            mapped.put(o, built);
        }
        PositionalParamSpec positional = PositionalParamSpec.builder().type(List.class).auxiliaryTypes(String.class)
                .arity("0..*").paramLabel("UserClass").build();
        spec.addPositional(positional);

        CommandLine cl = new CommandLine(spec);
        cl.setDefaultValueProvider(argSpec -> {
            if (!(argSpec instanceof CommandLine.Model.OptionSpec ps)) {
                return null;
            }
            OptionSpec o = registry.find(ps.longestName());
            if (o == null) {
                return null;
            }
            return defaultFor(o, configFile);
        });
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new CliException(e.getMessage() + " (see jlocust --help)");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        mapped.forEach((o, ps) -> {
            Object v = ps.getValue();
            if (o.type() == List.class && v instanceof List<?> list && list.isEmpty()) {
                v = null;
            }
            check(o, v);
            values.put(o.dest(), v);
        });
        List<String> positionals = positional.getValue() == null ? List.of() : positional.getValue();
        return new Result(new ParsedOptions(values), List.copyOf(positionals));
    }

    /** What picocli's types do not say: a number within the option's range, a finite decimal. */
    private static void check(OptionSpec o, Object v) {
        String flag = longName(o);
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw new CliException("Invalid " + flag + " '" + v + "': it must be a finite number");
        }
        if (o.range() != null && v instanceof Number n && !o.range().contains(n.longValue())) {
            throw new CliException("Invalid " + flag + " " + v + ": it must be from " + o.range().min() + " to " + o.range().max());
        }
    }

    private static String longName(OptionSpec o) {
        return "--" + OptionRegistry.configKey(o);
    }

    private String defaultFor(OptionSpec o, Map<String, String> configFile) {
        if (o.envVar() != null) {
            String v = env.get(o.envVar());
            if (v != null && !v.isEmpty()) {
                return normalise(o, v);
            }
        }
        String key = OptionRegistry.configKey(o);
        String v = configFile.get(key);
        if (v == null) {
            v = configFile.get(key.replace('-', '_'));
        }
        if (v != null) {
            return normalise(o, v);
        }
        return o.defaultValue();
    }

    private static String normalise(OptionSpec o, String v) {
        if (o.type() == Boolean.class) {
            String t = v.trim().toLowerCase(Locale.ROOT);
            return switch (t) {
                case "1", "true", "yes", "on" -> "true";
                case "0", "false", "no", "off", "" -> "false";
                default -> throw new CliException("Invalid boolean '" + v + "' for " + o.names().get(0));
            };
        }
        return v.trim();
    }

    /** Renders {@code --help}: usage, then each group with its options and environment variables. */
    public static String help(OptionRegistry registry) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: jlocust [options] [UserClass ...]\n");
        sb.append("       jlocust demo [options]    run the bundled example users against an embedded demo target\n\n");
        sb.append("Locust-style load tests in Java, with JSON and OpenTelemetry telemetry.\n");
        sb.append("Every option can also be set by its environment variable or in locust.conf (key = value).\n");
        for (Map.Entry<String, List<OptionSpec>> g : registry.groups().entrySet()) {
            List<OptionSpec> visible = new ArrayList<>();
            for (OptionSpec o : g.getValue()) {
                if (!o.hidden()) {
                    visible.add(o);
                }
            }
            if (visible.isEmpty()) {
                continue;
            }
            sb.append('\n').append(g.getKey()).append(":\n");
            for (OptionSpec o : visible) {
                StringBuilder flags = new StringBuilder("  ");
                List<String> names = new ArrayList<>(o.names());
                names.sort((a, b) -> Integer.compare(a.startsWith("--") ? 1 : 0, b.startsWith("--") ? 1 : 0));
                flags.append(String.join(", ", names));
                if (o.type() != Boolean.class) {
                    flags.append(' ').append(o.paramLabel() != null ? o.paramLabel() : "VALUE");
                }
                String text = o.help();
                if (o.defaultValue() != null && !text.contains("default")) {
                    text += " (default " + o.defaultValue() + ")";
                }
                if (o.envVar() != null) {
                    text += " [env " + o.envVar() + "]";
                }
                if (flags.length() > 34) {
                    sb.append(flags).append('\n').append(" ".repeat(36));
                } else {
                    sb.append(String.format("%-36s", flags));
                }
                sb.append(wrap(text, 36, 110)).append('\n');
            }
        }
        return sb.toString();
    }

    /** The configuration reference in Markdown: every visible option, its variable, config key and default. */
    public static String markdown(OptionRegistry registry) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Configuration reference\n\n")
                .append("Generated from jlocust's own option definitions (`./jlocust --help-markdown > docs/configuration.md`);\n")
                .append("a test fails when this file and the options drift apart.\n\n")
                .append("Every option can be given on the command line, as an environment variable, or in `locust.conf`\n")
                .append("(`key = value`, the key being the long option name without dashes). The command line wins over the\n")
                .append("environment, which wins over the file. Options of recorder plugins appear here when the plugin is\n")
                .append("on the classpath.\n\n")
                .append("The config file is read as Locust reads it: `key = value`, `key: value` or `key value`, a bare `key`\n")
                .append("for a flag (`headless`), `#` and `;` comments, `[sections]` ignored. A line that is none of these,\n")
                .append("and a key that is no option below (`usres = 50`), is ignored with a warning on stderr naming the\n")
                .append("file and the line, e.g. `Warning: locust.conf:3: unknown option 'usres', ignored`; after 20 warnings\n")
                .append("one more line says how many lines were left.\n");
        for (Map.Entry<String, List<OptionSpec>> g : registry.groups().entrySet()) {
            List<OptionSpec> visible = g.getValue().stream().filter(o -> !o.hidden()).toList();
            if (visible.isEmpty()) {
                continue;
            }
            sb.append("\n## ").append(g.getKey()).append("\n\n");
            sb.append("| option | environment variable | config key | default | description |\n");
            sb.append("|---|---|---|---|---|\n");
            for (OptionSpec o : visible) {
                List<String> names = new ArrayList<>(o.names());
                names.sort((a, b) -> Integer.compare(a.startsWith("--") ? 1 : 0, b.startsWith("--") ? 1 : 0));
                String flags = String.join(", ", names.stream().map(n -> "`" + n + "`").toList());
                if (o.type() != Boolean.class) {
                    flags += " `" + (o.paramLabel() != null ? o.paramLabel() : "VALUE") + "`";
                }
                sb.append("| ").append(flags)
                        .append(" | ").append(o.envVar() == null ? "" : "`" + o.envVar() + "`")
                        .append(" | `").append(OptionRegistry.configKey(o)).append('`')
                        .append(" | ").append(o.defaultValue() == null ? "" : "`" + o.defaultValue() + "`")
                        .append(" | ").append(o.help().replace("|", "\\|")).append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String wrap(String text, int indent, int width) {
        StringBuilder out = new StringBuilder();
        int col = indent;
        for (String word : text.split(" ")) {
            if (col + word.length() + 1 > width && col > indent) {
                out.append('\n').append(" ".repeat(indent));
                col = indent;
            } else if (col > indent) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }
}
