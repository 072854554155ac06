package io.locusttelemetry.bench.httpclients;

import java.net.URI;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/** Jetty 12 HttpClient, blocking {@code send()} called from the users' virtual threads. */
final class JettyCandidate implements Candidate {

    private final URI uri;
    private final int users;
    private final boolean virtualThreadPool;
    private final HttpClient client;

    JettyCandidate(URI uri, int users, boolean virtualThreadPool) throws Exception {
        this.uri = uri;
        this.users = users;
        this.virtualThreadPool = virtualThreadPool;
        this.client = new HttpClient();
        client.setMaxConnectionsPerDestination(users);
        if (virtualThreadPool) {
            // Jetty's own tasks (selector, response parsing) on virtual threads too.
            client.setExecutor(new VirtualThreadPool());
        }
        client.start();
    }

    @Override
    public UserClient newUser(int index) {
        return () -> {
            ContentResponse response = client.newRequest(uri).send();
            if (response.getStatus() != 200) {
                throw new IllegalStateException("status " + response.getStatus());
            }
            return response.getContent().length;
        };
    }

    @Override
    public String describe() {
        return "jetty-client " + HttpClient.class.getPackage().getImplementationVersion()
                + ", HTTP/1.1 transport, maxConnectionsPerDestination=" + users + ", executor="
                + (virtualThreadPool ? "VirtualThreadPool" : "default QueuedThreadPool")
                + ", request.send()";
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
