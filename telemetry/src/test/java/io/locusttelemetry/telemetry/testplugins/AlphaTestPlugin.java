package io.locusttelemetry.telemetry.testplugins;

import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import io.locusttelemetry.telemetry.TelemetryRecorderPlugin;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginBase;
import java.util.List;
import java.util.Map;

/** Test plugin with an option, metadata and distinct recorders per role. */
@TelemetryRecorderPlugin
public class AlphaTestPlugin extends TelemetryRecorderPluginBase {
    @Override
    public String id() {
        return "alpha";
    }

    @Override
    public String title() {
        return "Alpha test recorder";
    }

    @Override
    public void addCliArguments(CommandLineParser.OptionGroup group) {
        group.addArgument(OptionSpec.option("--alpha-level").env("LOCUST_TELEMETRY_ALPHA_LEVEL").type(Integer.class)
                .defaultValue(2).help("Alpha level").build());
    }

    @Override
    public void validate(ParsedOptions options) {
        if (options.getInt("alpha_level", 2) < 0) {
            throw new TelemetryConfigurationException("--alpha-level must not be negative");
        }
    }

    @Override
    public Map<String, Object> addTestMetadata() {
        return Map.of("alpha_version", 3, "run_id", "must-be-ignored");
    }

    @Override
    public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) {
        return List.of(new ProbeRecorder("alpha.master", env, "master"));
    }

    @Override
    public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) {
        return List.of(new ProbeRecorder("alpha.worker", env, "worker"));
    }
}
