/**
 * The {@code json} telemetry recorder: one JSON object per line (for Promtail/Loki, ELK), as
 * {@code telemetry-spec.md} §2 defines it. Enable it with {@code --enable-telemetry-recorder json};
 * choose the output with {@code --lt-json-output stdout|stderr|FILE}.
 */
package io.locusttelemetry.telemetry.json;
