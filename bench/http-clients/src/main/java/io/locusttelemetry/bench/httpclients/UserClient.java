package io.locusttelemetry.bench.httpclients;

/**
 * One simulated user's view of an HTTP client: a blocking GET of the benchmark URL.
 *
 * <p>An implementation must read the whole response body, fail (throw) unless the status is
 * 200, and return the number of body bytes it read. Instances are confined to one virtual
 * thread, so they may keep per-user buffers without synchronisation.
 */
interface UserClient extends AutoCloseable {

    int get() throws Exception;

    @Override
    default void close() throws Exception {
    }
}
