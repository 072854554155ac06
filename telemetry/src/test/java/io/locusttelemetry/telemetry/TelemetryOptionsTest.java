package io.locusttelemetry.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.testing.RecordingCommandLineParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TelemetryOptionsTest {
    private final Environment env = Environment.builder().build();
    private final TelemetryRecorderPluginManager manager = TelemetryRecorderPluginManager.discover(getClass().getClassLoader());
    private final TelemetryCoordinator coordinator = new TelemetryCoordinator(env, manager);
    private final RecordingCommandLineParser parser = new RecordingCommandLineParser();

    private void registerOptions() {
        env.events().initCommandLineParser.fire(parser);
    }

    @Test
    void coreOptionsAndOneGroupPerPluginWithOptionsAreAdded() {
        registerOptions();

        assertThat(parser.groups().keySet()).containsExactly("Locust Telemetry", "Alpha test recorder");
        assertThat(parser.groups().get("Locust Telemetry")).extracting(o -> o.names().get(0)).containsExactly(
                "--testplan", "--enable-telemetry-recorder", "--lt-stats-recorder-interval", "--lt-system-usage-recorder-interval",
                "--lt-log-level", "--run-id", "--lt-generator-lag-warning-ms");
        assertOption("--testplan", "testplan", "LOCUST_TESTPLAN_NAME", null);
        assertOption("--enable-telemetry-recorder", "enable_telemetry_recorder", "LOCUST_ENABLE_TELEMETRY_RECORDER", null);
        assertOption("--lt-stats-recorder-interval", "lt_stats_recorder_interval", "LOCUST_TELEMETRY_STATS_RECORDER_INTERVAL", "3");
        assertOption("--lt-system-usage-recorder-interval", "lt_system_usage_recorder_interval",
                "LOCUST_TELEMETRY_SYSTEM_USAGE_RECORDER_INTERVAL", "3");
        assertOption("--lt-log-level", "lt_log_level", "LOCUST_TELEMETRY_LOG_LEVEL", "info");
        assertOption("--run-id", "run_id", "LOCUST_TELEMETRY_RUN_ID", null);
        assertOption("--lt-generator-lag-warning-ms", "lt_generator_lag_warning_ms", "LOCUST_TELEMETRY_GENERATOR_LAG_WARNING_MS", "10");
        assertThat(parser.option("--enable-telemetry-recorder").type()).isEqualTo(List.class);
        assertOption("--alpha-level", "alpha_level", "LOCUST_TELEMETRY_ALPHA_LEVEL", "2");
    }

    private void assertOption(String flag, String dest, String envVar, String defaultValue) {
        OptionSpec o = parser.option(flag);
        assertThat(o.dest()).isEqualTo(dest);
        assertThat(o.envVar()).isEqualTo(envVar);
        assertThat(o.defaultValue()).isEqualTo(defaultValue);
        assertThat(o.help()).isNotBlank();
    }

    @Test
    void recordersAreEnabledByCommaListRepeatsOrEnvironment() {
        registerOptions();

        env.parsedOptions(parser.parse(Map.of(), "--testplan", "checkout", "--enable-telemetry-recorder", "beta",
                "--enable-telemetry-recorder", "ALPHA,beta"));
        TelemetrySettings s = coordinator.configure();
        assertThat(s.enabledRecorders()).containsExactly("beta", "alpha");
        assertThat(coordinator.enabledPlugins()).extracting(TelemetryRecorderPluginBase::id).containsExactly("beta", "alpha");
        assertThat(s.statsInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.systemUsageInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.logLevel()).isEqualTo(TelemetryLevel.INFO);
        assertThat(s.runId()).isNull();

        env.parsedOptions(parser.parse(Map.of("LOCUST_ENABLE_TELEMETRY_RECORDER", "alpha,beta", "LOCUST_TESTPLAN_NAME", "from-env",
                "LOCUST_TELEMETRY_STATS_RECORDER_INTERVAL", "0.5", "LOCUST_TELEMETRY_RUN_ID", "ci-1234")));
        s = coordinator.configure();
        assertThat(s.enabledRecorders()).containsExactly("alpha", "beta");
        assertThat(s.testplan()).isEqualTo("from-env");
        assertThat(s.statsInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.runId()).isEqualTo("ci-1234");
    }

    @Test
    void aRecorderWithoutTestplanIsOneClearError() {
        registerOptions();
        env.parsedOptions(parser.parse(Map.of(), "--enable-telemetry-recorder", "alpha"));
        assertOneLineError(coordinator::configure, "--testplan (or LOCUST_TESTPLAN_NAME) is required when a telemetry recorder is enabled");
    }

    @Test
    void noRecorderNeedsNoTestplan() {
        registerOptions();
        env.parsedOptions(parser.parse(Map.of()));
        assertThat(coordinator.configure().enabled()).isFalse();
    }

    @Test
    void anUnknownRecorderIdListsTheKnownOnes() {
        registerOptions();
        env.parsedOptions(parser.parse(Map.of(), "--testplan", "t", "--enable-telemetry-recorder", "alpha,jsno"));
        assertOneLineError(coordinator::configure,
                "unknown telemetry recorder 'jsno' in --enable-telemetry-recorder; known recorders: alpha, beta");
    }

    @Test
    void badValuesAreOneClearError() {
        registerOptions();
        env.parsedOptions(parser.parse(Map.of(), "--testplan", "t", "--enable-telemetry-recorder", "alpha", "--lt-stats-recorder-interval", "0"));
        assertOneLineError(coordinator::configure, "--lt-stats-recorder-interval must be a number of seconds above 0; got '0.0'");

        env.parsedOptions(new ParsedOptions(Map.of("testplan", "t", "enable_telemetry_recorder", "alpha",
                "lt_system_usage_recorder_interval", "soon")));
        assertOneLineError(coordinator::configure, "--lt-system-usage-recorder-interval must be a number of seconds above 0; got 'soon'");

        env.parsedOptions(parser.parse(Map.of(), "--testplan", "t", "--enable-telemetry-recorder", "alpha", "--lt-log-level", "loud"));
        assertOneLineError(coordinator::configure, "--lt-log-level must be one of debug, info, warning, error, critical; got 'loud'");

        env.parsedOptions(parser.parse(Map.of(), "--testplan", "t", "--enable-telemetry-recorder", "alpha", "--run-id", "has space"));
        assertOneLineError(coordinator::configure, "--run-id must be 1 to 64 letters");

        env.parsedOptions(parser.parse(Map.of(), "--testplan", "t", "--enable-telemetry-recorder", "alpha", "--alpha-level", "-1"));
        assertOneLineError(coordinator::configure, "--alpha-level must not be negative");
    }

    @Test
    void pluginOptionsAreValidatedOnlyWhenThePluginIsEnabled() {
        registerOptions();
        env.parsedOptions(parser.parse(Map.of(), "--testplan", "t", "--enable-telemetry-recorder", "beta", "--alpha-level", "-1"));
        assertThat(coordinator.configure().enabledRecorders()).containsExactly("beta");
    }

    private static void assertOneLineError(ThrowingCallable call, String expected) {
        assertThatThrownBy(call)
                .isInstanceOf(TelemetryConfigurationException.class)
                .hasMessageContaining(expected)
                .message().doesNotContain("\n");
    }
}
