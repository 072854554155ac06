import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryRecorderPlugin;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginBase;
import io.locusttelemetry.telemetry.TelemetryType;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A locustfile that brings its own telemetry recorder plugin, registered by the annotation alone. */
public class PlugUser extends User {
    public PlugUser() {
        waitTime(constant(0.05));
    }

    @Task
    void work() {
        reportRequest("custom", "work", 2, 10, null);
    }

    @TelemetryRecorderPlugin
    public static final class HelloPlugin extends TelemetryRecorderPluginBase {
        @Override public String id() { return "hello"; }
        @Override public String title() { return "Hello recorder"; }

        @Override public void addCliArguments(CommandLineParser.OptionGroup group) {
            group.addArgument(OptionSpec.option("--hello-interval").dest("hello_interval")
                    .env("LOCUST_TELEMETRY_HELLO_INTERVAL").type(Double.class).defaultValue("1")
                    .paramLabel("SECONDS").help("Seconds between two hello records").build());
        }

        @Override public Map<String, Object> addTestMetadata() { return Map.of("hello_plugin_version", "1"); }

        @Override public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) {
            return List.of(new HelloRecorder(env));
        }

        @Override public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) {
            return List.of(new HelloRecorder(env));
        }
    }

    public static final class HelloRecorder extends TelemetryBaseRecorder {
        public HelloRecorder(Environment env) {
            super("hello", env);
            listen(env.events().testStart, e -> every(Duration.ofMillis(Math.round(
                    env.parsedOptions().getDouble("hello_interval", 1) * 1000)), this::record));
        }

        private void record() {
            EntrySnapshot total = env().stats().snapshot().total();
            logTelemetry(TelemetryType.METRICS, "hello.user.metric.activity",
                    Map.of("user_count", runner().userCount(), "requests", total.numRequests()));
        }
    }
}
