package io.locusttelemetry.telemetry;

/**
 * A recorder that can say whether its exports are delivered. The web UI asks every loaded
 * recorder ({@link TelemetryCoordinator#recorders()}) that implements it, every few seconds, off
 * the request path.
 */
public interface DeliveryReporting {

    /** The delivery status now; cheap, never blocking. */
    DeliveryStatus deliveryStatus();
}
