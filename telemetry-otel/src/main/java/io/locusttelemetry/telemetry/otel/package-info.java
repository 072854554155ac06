/**
 * The {@code otel} telemetry recorder: OpenTelemetry metrics and traces as {@code telemetry-spec.md}
 * §3 defines them, exported over OTLP (gRPC or HTTP/protobuf) or served to Prometheus. Enable it
 * with {@code --enable-telemetry-recorder otel}.
 */
package io.locusttelemetry.telemetry.otel;
