package io.locusttelemetry.telemetry.json.internal;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.DeliveryReporting;
import io.locusttelemetry.telemetry.DeliveryStatus;
import io.locusttelemetry.telemetry.TelemetryBaseRecorder;
import io.locusttelemetry.telemetry.TelemetryRecord;
import io.locusttelemetry.telemetry.TelemetrySink;

/**
 * The JSON recorder's output: every telemetry record of the environment (this plugin's and other
 * plugins') becomes one line. Flushed on {@code flush()}, closed (files only) on {@code quitting}.
 */
public final class JsonOutputRecorder extends TelemetryBaseRecorder implements TelemetrySink, DeliveryReporting {
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

    /** Lines are written locally: failing once a write failed. */
    @Override
    public DeliveryStatus deliveryStatus() {
        return writer.failed() ? new DeliveryStatus(name(), writer.description(), DeliveryStatus.State.FAILING, 0, 1, "a write failed")
                : new DeliveryStatus(name(), writer.description(), DeliveryStatus.State.LOCAL, 0, 0, null);
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
