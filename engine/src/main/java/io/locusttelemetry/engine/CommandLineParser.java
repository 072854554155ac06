package io.locusttelemetry.engine;

/**
 * Where plugins and locustfiles add their own command-line options (Locust's
 * {@code init_command_line_parser}). Each option also reads an environment variable and a config
 * file key, and its value ends up in {@link Environment#parsedOptions()} under its {@code dest}.
 */
public interface CommandLineParser {

    /** Starts a titled group of options, shown under its own heading in {@code --help}. */
    OptionGroup addArgumentGroup(String title);

    /** A group of options. */
    interface OptionGroup {
        /** Adds an option and returns this group for chaining. */
        OptionGroup addArgument(OptionSpec option);
    }
}
