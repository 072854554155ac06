package io.locusttelemetry.telemetry;

import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.ParsedOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A telemetry recorder plugin: an id users enable with {@code --enable-telemetry-recorder}, its own
 * options, metadata for every run, and the recorders it loads on each kind of runner.
 *
 * <p>Register an implementation with {@link TelemetryRecorderPlugin}; it needs a public constructor
 * without arguments. One instance serves a whole process, so keep per-run state in the recorders.
 */
public abstract class TelemetryRecorderPluginBase {

    protected TelemetryRecorderPluginBase() {}

    /** The id users enable it with, e.g. {@code json}: lower-case letters, digits, {@code -} and {@code _}. */
    public abstract String id();

    /** Heading of this plugin's options in {@code --help}. */
    public String title() {
        return "Telemetry recorder '" + id() + "'";
    }

    /** Adds this plugin's options; they are shown under {@link #title()}. */
    public void addCliArguments(CommandLineParser.OptionGroup group) {}

    /**
     * Checks this plugin's options once they are parsed, when the plugin is enabled.
     *
     * @throws TelemetryConfigurationException with a one-line message for the user
     */
    public void validate(ParsedOptions options) {}

    /**
     * Entries added to every run's metadata (sent to workers with {@code run_id} and {@code testplan}).
     * Values must be null, Boolean, numbers, String, List or Map.
     */
    public Map<String, Object> addTestMetadata() {
        return Map.of();
    }

    /** The recorders of a master (request statistics are the merged ones of all workers). */
    public abstract List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env);

    /** The recorders of a worker. */
    public abstract List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env);

    /**
     * The recorders of a single-process run: by default those of a master followed by those of a
     * worker, except a worker recorder of the same class and {@link TelemetryBaseRecorder#name() name}
     * as a master recorder (a recorder needed on both roles is needed once here; the duplicate is
     * closed right away). Override when that is not what a single process needs.
     */
    public List<TelemetryBaseRecorder> loadLocalTelemetryRecorders(Environment env) {
        List<TelemetryBaseRecorder> out = new ArrayList<>(loadMasterTelemetryRecorders(env));
        Set<List<Object>> seen = new HashSet<>();
        out.forEach(r -> seen.add(List.of(r.getClass(), r.name())));
        for (TelemetryBaseRecorder r : loadWorkerTelemetryRecorders(env)) {
            if (seen.add(List.of(r.getClass(), r.name()))) {
                out.add(r);
            } else {
                r.close();
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return id() + " (" + getClass().getName() + ")";
    }
}
