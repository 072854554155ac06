package io.locusttelemetry.cli;

import io.locusttelemetry.engine.Environment;

/**
 * What the CLI wires around an environment besides the engine: telemetry plugins and, later,
 * distributed runners. Kept in one place so {@link Main} stays a plain sequence.
 */
final class CliExtensions {
    private CliExtensions() {}

    static CliExtensions load(Environment environment, ClassLoader classLoader) {
        return new CliExtensions();
    }

    /** The environment was rebuilt with a subset of user classes: move listeners over. */
    void moveTo(Environment from, Environment to) {}

    /** After options are parsed and the runner exists, before {@code init} fires. */
    void onInit(Environment environment) {}

    /** Extra run parameters for reports (e.g. telemetry's run_id and testplan). */
    java.util.Map<String, String> reportParameters(Environment environment) {
        return java.util.Map.of();
    }

    /** Before the process exits: flush what must not be lost. */
    void onExit(Environment environment) {}
}
