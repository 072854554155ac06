package io.locusttelemetry.http2.internal;

import io.locusttelemetry.engine.http.spi.Exchanges;
import io.locusttelemetry.engine.process.NamedThreads;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The one Jetty HTTP/2 client of the JVM: its selector and threads are shared by every user, its
 * connections are not (each user opens its own). Started on first use, with daemon threads only,
 * so that it never holds a finished run's JVM.
 */
final class SharedClient {
    private SharedClient() {}

    private static final class Holder {
        static final SharedClient.Started INSTANCE = start();
    }

    record Started(HTTP2Client client, SslContextFactory.Client verifying, SslContextFactory.Client trusting) {}

    static Started get() {
        return Holder.INSTANCE;
    }

    private static Started start() {
        // Few threads: the callbacks only hand a response to its user's thread. No reserved threads: handing
        // the selector's production over to one stalled users for seconds when the generator had one core
        // (228 against 21,908 req/s in the same hour, 50 users on one core, bench/RESULTS.md "HTTP/2")
        QueuedThreadPool pool = new QueuedThreadPool(16, 2, 60_000, 0, null, null, NamedThreads.daemon("jlocust-h2"));
        pool.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setExecutor(pool);
        connector.setScheduler(new ScheduledExecutorScheduler("jlocust-h2-scheduler", true));
        connector.setSelectors(1);
        connector.setTCPNoDelay(true);
        HTTP2Client client = new HTTP2Client(connector);
        // a user's connection stays open through any think time, as its HTTP/1.1 connection does
        client.setIdleTimeout(0);
        client.setStreamIdleTimeout(0);
        client.setMaxResponseHeadersSize(Exchanges.MAX_HEAD);
        SslContextFactory.Client verifying = new SslContextFactory.Client();
        verifying.setEndpointIdentificationAlgorithm("HTTPS");
        SslContextFactory.Client trusting = new SslContextFactory.Client(true);
        trusting.setEndpointIdentificationAlgorithm(null);
        client.addBean(verifying);
        client.addBean(trusting);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP/2 client could not start: " + e, e);
        }
        return new Started(client, verifying, trusting);
    }
}
