package io.locusttelemetry.telemetry;

import io.locusttelemetry.engine.ParsedOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The core telemetry options of one run, read from {@link ParsedOptions} and checked.
 *
 * @param testplan               {@code --testplan}, or null
 * @param enabledRecorders       {@code --enable-telemetry-recorder} ids, lower case, in the order given, no repeats
 * @param statsInterval          {@code --lt-stats-recorder-interval}
 * @param systemUsageInterval    {@code --lt-system-usage-recorder-interval}
 * @param logLevel               {@code --lt-log-level}
 * @param runId                  {@code --run-id}, or null to generate one per test
 * @param generatorLagWarning    {@code --lt-generator-lag-warning-ms}: scheduling lag or GC pause time in
 *                               one second above which the generator counts as saturated
 */
public record TelemetrySettings(
        String testplan,
        List<String> enabledRecorders,
        Duration statsInterval,
        Duration systemUsageInterval,
        TelemetryLevel logLevel,
        String runId,
        Duration generatorLagWarning) {

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public TelemetrySettings {
        enabledRecorders = List.copyOf(enabledRecorders);
    }

    /** True when at least one recorder is enabled. */
    public boolean enabled() {
        return !enabledRecorders.isEmpty();
    }

    /**
     * Reads and checks the options; missing options take their defaults.
     *
     * @throws TelemetryConfigurationException when a value is invalid, or a recorder is enabled without {@code --testplan}
     */
    public static TelemetrySettings from(ParsedOptions options) {
        ParsedOptions o = options == null ? ParsedOptions.empty() : options;
        List<String> enabled = enabledRecorders(o);
        String testplan = blankToNull(o.getString(TelemetryOptions.TESTPLAN));
        if (!enabled.isEmpty() && testplan == null) {
            throw new TelemetryConfigurationException("--testplan (or LOCUST_TESTPLAN_NAME) is required when a telemetry recorder is enabled"
                    + " (--enable-telemetry-recorder " + String.join(",", enabled) + ")");
        }
        Duration stats = seconds(o, TelemetryOptions.STATS_RECORDER_INTERVAL, "--lt-stats-recorder-interval",
                TelemetryOptions.DEFAULT_STATS_RECORDER_INTERVAL);
        Duration system = seconds(o, TelemetryOptions.SYSTEM_USAGE_RECORDER_INTERVAL, "--lt-system-usage-recorder-interval",
                TelemetryOptions.DEFAULT_SYSTEM_USAGE_RECORDER_INTERVAL);
        TelemetryLevel level = TelemetryLevel.parse(o.getString(TelemetryOptions.LOG_LEVEL, TelemetryOptions.DEFAULT_LOG_LEVEL));
        String runId = blankToNull(o.getString(TelemetryOptions.RUN_ID));
        if (runId != null && !RUN_ID.matcher(runId).matches()) {
            throw new TelemetryConfigurationException("--run-id must be 1 to 64 letters, digits, '.', '_' or '-' (starting with a letter or digit); got '"
                    + runId + "'");
        }
        Duration lagWarning = milliseconds(o, TelemetryOptions.GENERATOR_LAG_WARNING_MS, "--lt-generator-lag-warning-ms",
                TelemetryOptions.DEFAULT_GENERATOR_LAG_WARNING_MS);
        return new TelemetrySettings(testplan, enabled, stats, system, level, runId, lagWarning);
    }

    /**
     * The settings as {@code options} say now (a web UI sets a test's testplan and run id), or
     * {@code configured} when they are not valid (a web UI checks them before it applies them).
     */
    static TelemetrySettings current(ParsedOptions options, TelemetrySettings configured) {
        try {
            return from(options);
        } catch (TelemetryConfigurationException e) {
            return configured;
        }
    }

    /** The ids of {@code --enable-telemetry-recorder}: comma lists and repeats flattened, lower case, no repeats. */
    public static List<String> enabledRecorders(ParsedOptions options) {
        List<String> enabled = new ArrayList<>();
        for (String id : options.getList(TelemetryOptions.ENABLE_TELEMETRY_RECORDER)) {
            String normalized = id.trim().toLowerCase(Locale.ROOT);
            if (!normalized.isEmpty() && !enabled.contains(normalized)) {
                enabled.add(normalized);
            }
        }
        return List.copyOf(enabled);
    }

    /**
     * Reads a positive number of seconds from {@code dest}, for plugins' own interval options.
     *
     * @param flag the option's flag, used in the error message
     * @throws TelemetryConfigurationException when the value is not a number above 0
     */
    public static Duration seconds(ParsedOptions options, String dest, String flag, double fallback) {
        return positive(options, dest, flag, fallback, "seconds", 1e9, 1_000_000L);
    }

    private static Duration milliseconds(ParsedOptions options, String dest, String flag, double fallback) {
        return positive(options, dest, flag, fallback, "milliseconds", 1e6, 1_000L);
    }

    /** A number above 0 in {@code unit}s ({@code nanosPerUnit} each), at least {@code minNanos}. */
    private static Duration positive(ParsedOptions options, String dest, String flag, double fallback, String unit, double nanosPerUnit,
            long minNanos) {
        Object raw = options.get(dest);
        double value;
        try {
            value = options.getDouble(dest, fallback);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new TelemetryConfigurationException(flag + " must be a number of " + unit + " above 0; got '" + raw + "'");
        }
        return Duration.ofNanos(Math.max(minNanos, Math.round(value * nanosPerUnit)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
