package io.locusttelemetry.telemetry.json;

import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.OutputFiles;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryConfigurationException;
import io.locusttelemetry.telemetry.TelemetryRecorderPlugin;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginBase;
import io.locusttelemetry.telemetry.json.internal.JsonLineWriter;
import io.locusttelemetry.telemetry.json.internal.JsonOutputRecorder;
import java.util.List;

/**
 * The {@code json} recorder plugin: structured JSON lines for log pipelines, one per telemetry
 * record. Its output is a {@link io.locusttelemetry.telemetry.TelemetrySink}, so the coordinator
 * loads the standard records for it: on a master (or local runner) test events and request
 * statistics, on every role system and JVM metrics and warnings. Records of other plugins'
 * recorders are written as lines too.
 */
@TelemetryRecorderPlugin
public final class JsonTelemetryRecorderPlugin extends TelemetryRecorderPluginBase {
    /** The id for {@code --enable-telemetry-recorder}. */
    public static final String ID = "json";
    /** {@code dest} of {@code --lt-json-output}. */
    public static final String OUTPUT = "lt_json_output";

    public JsonTelemetryRecorderPlugin() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "JSON recorder";
    }

    @Override
    public void addCliArguments(CommandLineParser.OptionGroup group) {
        group.addArgument(OptionSpec.option("--lt-json-output").dest(OUTPUT).env("LOCUST_TELEMETRY_JSON_OUTPUT")
                .defaultValue("stdout").paramLabel("stdout|stderr|FILE")
                .help("Where the JSON telemetry lines go: stdout, stderr, or a file (appended to; its folder must exist)")
                .build());
    }

    @Override
    public void validate(ParsedOptions options) {
        String target = options.getString(OUTPUT, "stdout").trim();
        if (target.isEmpty() || target.equals("stdout") || target.equals("stderr") || target.equals("-")) {
            return;
        }
        try {
            OutputFiles.checkWritable("--lt-json-output", target);
        } catch (IllegalArgumentException e) {
            throw new TelemetryConfigurationException("Cannot write " + e.getMessage());
        }
    }

    private static JsonOutputRecorder output(Environment env) {
        return new JsonOutputRecorder(env, JsonLineWriter.open(env.parsedOptions().getString(OUTPUT, "stdout")));
    }

    @Override
    public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) {
        return List.of(output(env));
    }

    @Override
    public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) {
        return List.of(output(env));
    }

    /** One output for a single process. */
    @Override
    public List<TelemetryBaseRecorder> loadLocalTelemetryRecorders(Environment env) {
        return List.of(output(env));
    }
}
