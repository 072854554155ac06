package io.locusttelemetry.telemetry.json.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryRecord;
import io.locusttelemetry.telemetry.TelemetrySink;

/**
 * The JSON recorder's output: every telemetry record of the environment (this plugin's and other
 * plugins') becomes one line. Flushed on {@code flush()}, closed (files only) on {@code quitting}.
 */
public final class JsonOutputRecorder extends TelemetryBaseRecorder implements TelemetrySink {
    private final JsonLineWriter writer;

    public JsonOutputRecorder(Environment env, JsonLineWriter writer) {
        super("json", env);
        this.writer = writer;
    }

    public JsonLineWriter writer() {
        return writer;
    }

    @Override
    public void accept(TelemetryRecord record) {
        writer.write(record);
    }

    @Override
    public void flush() {
        writer.flush();
    }

    @Override
    protected void onClose() {
        writer.close();
    }

    @Override
    public String toString() {
        return "json output " + writer.description();
    }
}
