package io.locusttelemetry.bench.httpclients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;

/** java.net.http.HttpClient, HTTP/1.1, one client shared by all users. */
final class JdkCandidate implements Candidate {

    private final HttpClient client;
    private final HttpRequest request;
    private final boolean directExecutor;

    JdkCandidate(URI uri, boolean directExecutor) {
        this.directExecutor = directExecutor;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (directExecutor) {
            // Completion stages run on the client's selector thread instead of a pool thread.
            builder.executor(Runnable::run);
        }
        this.client = builder.build();
        this.request = HttpRequest.newBuilder(uri).GET().build();
    }

    @Override
    public UserClient newUser(int index) {
        BodyHandler<byte[]> handler = HttpResponse.BodyHandlers.ofByteArray();
        return () -> {
            HttpResponse<byte[]> response = client.send(request, handler);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("status " + response.statusCode());
            }
            return response.body().length;
        };
    }

    @Override
    public String describe() {
        return "java.net.http.HttpClient HTTP/1.1, executor="
                + (directExecutor ? "Runnable::run" : "default") + ", BodyHandlers.ofByteArray()";
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
