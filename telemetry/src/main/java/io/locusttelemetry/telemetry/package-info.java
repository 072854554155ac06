/**
 * The telemetry plugin architecture: recorder plugins ({@link io.locusttelemetry.telemetry.TelemetryRecorderPluginBase},
 * registered with {@link io.locusttelemetry.telemetry.TelemetryRecorderPlugin}), their recorders
 * ({@link io.locusttelemetry.telemetry.TelemetryBaseRecorder}), the per-environment
 * {@link io.locusttelemetry.telemetry.TelemetryCoordinator} with the test metadata ({@code run_id}, {@code testplan}),
 * and system usage sampling. Names, fields and options follow {@code telemetry-spec.md}.
 *
 * <p>Everything in this package is API a user's plugin may rely on; {@code .internal} is not.
 */
package io.locusttelemetry.telemetry;
