/**
 * An example telemetry recorder plugin, written as a user writes one: it depends on the
 * {@code telemetry} module only, registers itself with {@code @TelemetryRecorderPlugin}, and is found
 * because its jar is on the classpath. Enable it with {@code --enable-telemetry-recorder custom}
 * (together with {@code json} to get its records as JSON lines).
 */
package io.locusttelemetry.examples.telemetry;
