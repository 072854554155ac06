package io.locusttelemetry.examples.telemetry;

import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryRecorderPlugin;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginBase;
import io.locusttelemetry.telemetry.TelemetrySettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code custom} recorder plugin: every {@code --custom-interval} seconds, on the master, each
 * worker and a local runner, it records the user count and the requests made since its previous
 * record ({@link ActivityRecorder}).
 */
@TelemetryRecorderPlugin
public final class CustomTelemetryRecorderPlugin extends TelemetryRecorderPluginBase {
    /** {@code dest} of {@code --custom-interval}. */
    public static final String INTERVAL = "custom_interval";
    private static final double DEFAULT_INTERVAL_SECONDS = 5;

    public CustomTelemetryRecorderPlugin() {}

    @Override
    public String id() {
        return "custom";
    }

    @Override
    public String title() {
        return "Custom activity recorder (example plugin)";
    }

    @Override
    public void addCliArguments(CommandLineParser.OptionGroup group) {
        group.addArgument(OptionSpec.option("--custom-interval").dest(INTERVAL).env("LOCUST_TELEMETRY_CUSTOM_INTERVAL")
                .type(Double.class).defaultValue("5").paramLabel("SECONDS")
                .help("Seconds between two custom activity records")
                .build());
    }

    @Override
    public void validate(ParsedOptions options) {
        interval(options);
    }

    private static Duration interval(ParsedOptions options) {
        return TelemetrySettings.seconds(options, INTERVAL, "--custom-interval", DEFAULT_INTERVAL_SECONDS);
    }

    /** Added to every run's metadata, next to run_id and testplan. */
    @Override
    public Map<String, Object> addTestMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("custom_plugin_version", "1");
        String build = System.getenv("CI_PIPELINE_ID");
        if (build != null) {
            m.put("ci_pipeline_id", build);
        }
        return m;
    }

    @Override
    public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) {
        return List.of(new ActivityRecorder(env, interval(env.parsedOptions())));
    }

    @Override
    public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) {
        return List.of(new ActivityRecorder(env, interval(env.parsedOptions())));
    }

    // loadLocalTelemetryRecorders: the default keeps one ActivityRecorder, as master and worker use the same class
}
