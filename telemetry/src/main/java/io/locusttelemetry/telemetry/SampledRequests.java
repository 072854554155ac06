package io.locusttelemetry.telemetry;

import java.time.Duration;
import java.util.List;

/**
 * A recorder that keeps the slowest of the requests whose traces it exported, with their trace ids
 * (the {@code otel} recorder does, from the spans it samples). Read by the web UI, off the
 * request path.
 */
public interface SampledRequests {

    /** The slowest requests that started within {@code window} before now, slowest first, at most {@code limit}. */
    List<SampledRequest> slowest(Duration window, int limit);
}
