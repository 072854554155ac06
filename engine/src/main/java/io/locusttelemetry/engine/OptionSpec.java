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
 * @param range        inclusive bounds of a whole-number option (e.g. a port), or null for any value
 * @param webUi        shown as a field of the web UI's start form; its value applies from the next test on
 *                     ({@link Environment#parsedOptions()} is updated before {@code test_start}), as
 *                     Locust's custom arguments do
 */
public record OptionSpec(
        List<String> names,
        String dest,
        Class<?> type,
        String defaultValue,
        String envVar,
        String help,
        String paramLabel,
        boolean hidden,
        Range range,
        boolean webUi) {

    /** Bounds of a whole-number option, both included. */
    public record Range(long min, long max) {
        public Range {
            if (min > max) {
                throw new IllegalArgumentException("range " + min + ".." + max + " is empty");
            }
        }

        public boolean contains(long value) {
            return value >= min && value <= max;
        }
    }

    public OptionSpec {
        names = List.copyOf(names);
        Objects.requireNonNull(dest, "dest");
        Objects.requireNonNull(type, "type");
        if (range != null && type != Integer.class && type != Long.class) {
            throw new IllegalArgumentException("a range needs an Integer or Long option: " + names);
        }
    }

    /** An option whose values are not bounded. */
    public OptionSpec(List<String> names, String dest, Class<?> type, String defaultValue, String envVar, String help,
                      String paramLabel, boolean hidden) {
        this(names, dest, type, defaultValue, envVar, help, paramLabel, hidden, null, false);
    }

    /** An option that is not in the web UI's start form. */
    public OptionSpec(List<String> names, String dest, Class<?> type, String defaultValue, String envVar, String help,
                      String paramLabel, boolean hidden, Range range) {
        this(names, dest, type, defaultValue, envVar, help, paramLabel, hidden, range, false);
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
        private Range range;
        private boolean webUi;

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

        /** Accepts only whole numbers from {@code min} to {@code max}; others are a usage error. */
        public Builder range(long min, long max) {
            this.range = new Range(min, max);
            return this;
        }

        /**
         * A TCP port: 1 to 65535, or also 0 when {@code zeroPicksFreePort} (then the help text must
         * say that 0 picks a free port).
         */
        public Builder port(boolean zeroPicksFreePort) {
            return type(Integer.class).range(zeroPicksFreePort ? 0 : 1, 65535);
        }

        /** Shows the option in the web UI's start form, to be set per test. */
        public Builder webUi(boolean shown) {
            this.webUi = shown;
            return this;
        }

        public OptionSpec build() {
            return new OptionSpec(names, dest, type, defaultValue, envVar, help, paramLabel, hidden, range, webUi);
        }
    }
}
