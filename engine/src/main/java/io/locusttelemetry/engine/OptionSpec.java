package io.locusttelemetry.engine;

import java.util.List;
import java.util.Objects;

/**
 * A command-line option contributed by a plugin or a locustfile.
 *
 * @param names        flags, e.g. {@code --lt-json-output}
 * @param dest         key in {@link ParsedOptions}, e.g. {@code lt_json_output}
 * @param type         value type: String, Integer, Long, Double, Boolean or List (comma list, repeatable)
 * @param defaultValue value when not given, as text (null for none)
 * @param envVar       environment variable read when the flag is absent, or null
 * @param help         one-line description
 * @param paramLabel   placeholder shown in help, e.g. {@code SECONDS}
 * @param hidden       not shown in help (for secrets or internals)
 */
public record OptionSpec(
        List<String> names,
        String dest,
        Class<?> type,
        String defaultValue,
        String envVar,
        String help,
        String paramLabel,
        boolean hidden) {

    public OptionSpec {
        names = List.copyOf(names);
        Objects.requireNonNull(dest, "dest");
        Objects.requireNonNull(type, "type");
    }

    /** Starts an option with its main flag; {@code dest} is derived from it as Locust does. */
    public static Builder option(String flag) {
        return new Builder(flag);
    }

    /** Builds an {@link OptionSpec}. */
    public static final class Builder {
        private final List<String> names;
        private String dest;
        private Class<?> type = String.class;
        private String defaultValue;
        private String envVar;
        private String help = "";
        private String paramLabel;
        private boolean hidden;

        private Builder(String flag) {
            this.names = new java.util.ArrayList<>(List.of(flag));
            this.dest = flag.replaceFirst("^-+", "").replace('-', '_');
        }

        public Builder alias(String flag) {
            names.add(flag);
            return this;
        }

        public Builder dest(String dest) {
            this.dest = dest;
            return this;
        }

        public Builder type(Class<?> type) {
            this.type = type;
            return this;
        }

        public Builder defaultValue(Object value) {
            this.defaultValue = value == null ? null : String.valueOf(value);
            return this;
        }

        public Builder env(String envVar) {
            this.envVar = envVar;
            return this;
        }

        public Builder help(String help) {
            this.help = help;
            return this;
        }

        public Builder paramLabel(String label) {
            this.paramLabel = label;
            return this;
        }

        public Builder hidden(boolean hidden) {
            this.hidden = hidden;
            return this;
        }

        public OptionSpec build() {
            return new OptionSpec(names, dest, type, defaultValue, envVar, help, paramLabel, hidden);
        }
    }
}
