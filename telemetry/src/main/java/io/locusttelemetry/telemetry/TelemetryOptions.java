package io.locusttelemetry.telemetry;

import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.OptionSpec;
import java.util.List;

/**
 * The core telemetry options of {@code telemetry-spec.md} §4, with their flags, environment
 * variables, {@code dest} names and defaults. Plugins add their own in their own group.
 */
public final class TelemetryOptions {
    /** Heading of the core options in {@code --help}. */
    public static final String GROUP_TITLE = "Locust Telemetry";

    public static final String TESTPLAN = "testplan";
    public static final String ENABLE_TELEMETRY_RECORDER = "enable_telemetry_recorder";
    public static final String STATS_RECORDER_INTERVAL = "lt_stats_recorder_interval";
    public static final String SYSTEM_USAGE_RECORDER_INTERVAL = "lt_system_usage_recorder_interval";
    public static final String LOG_LEVEL = "lt_log_level";
    public static final String RUN_ID = "run_id";
    public static final String GENERATOR_LAG_WARNING_MS = "lt_generator_lag_warning_ms";

    public static final double DEFAULT_STATS_RECORDER_INTERVAL = 3;
    public static final double DEFAULT_SYSTEM_USAGE_RECORDER_INTERVAL = 3;
    public static final String DEFAULT_LOG_LEVEL = "info";
    public static final double DEFAULT_GENERATOR_LAG_WARNING_MS = 10;

    private TelemetryOptions() {}

    /** The core options, in the order {@code --help} shows them. */
    public static List<OptionSpec> coreOptions() {
        return List.of(
                OptionSpec.option("--testplan").dest(TESTPLAN).env("LOCUST_TESTPLAN_NAME").paramLabel("NAME").webUi(true)
                        .help("Name of the test plan, carried by every telemetry record (required when a recorder is enabled)")
                        .build(),
                OptionSpec.option("--enable-telemetry-recorder").dest(ENABLE_TELEMETRY_RECORDER)
                        .env("LOCUST_ENABLE_TELEMETRY_RECORDER").type(List.class).paramLabel("ID[,ID...]")
                        .help("Telemetry recorders to enable, e.g. json, otel or json,otel (comma list, or repeat the option)")
                        .build(),
                OptionSpec.option("--lt-stats-recorder-interval").dest(STATS_RECORDER_INTERVAL)
                        .env("LOCUST_TELEMETRY_STATS_RECORDER_INTERVAL").type(Double.class).defaultValue("3").paramLabel("SECONDS")
                        .help("Seconds between two request statistics records")
                        .build(),
                OptionSpec.option("--lt-system-usage-recorder-interval").dest(SYSTEM_USAGE_RECORDER_INTERVAL)
                        .env("LOCUST_TELEMETRY_SYSTEM_USAGE_RECORDER_INTERVAL").type(Double.class).defaultValue("3")
                        .paramLabel("SECONDS")
                        .help("Seconds between two system usage (CPU, memory, network) records")
                        .build(),
                OptionSpec.option("--lt-log-level").dest(LOG_LEVEL).env("LOCUST_TELEMETRY_LOG_LEVEL")
                        .defaultValue(DEFAULT_LOG_LEVEL).paramLabel("LEVEL")
                        .help("Lowest level of telemetry records to emit: debug, info, warning, error, critical")
                        .build(),
                OptionSpec.option("--run-id").dest(RUN_ID).env("LOCUST_TELEMETRY_RUN_ID").paramLabel("ID").webUi(true)
                        .help("Fixed run_id for the records of this run (default: 8 random hex characters per test)")
                        .build(),
                OptionSpec.option("--lt-generator-lag-warning-ms").dest(GENERATOR_LAG_WARNING_MS)
                        .env("LOCUST_TELEMETRY_GENERATOR_LAG_WARNING_MS").type(Double.class).defaultValue("10").paramLabel("MS")
                        .help("Warn that the results are bounded by the generator when, in a second, users wake this many ms"
                                + " late (p99) or GC pauses take this long")
                        .build());
    }

    /** Adds the core options to {@code group}. */
    public static void addCoreOptions(CommandLineParser.OptionGroup group) {
        for (OptionSpec spec : coreOptions()) {
            group.addArgument(spec);
        }
    }
}
