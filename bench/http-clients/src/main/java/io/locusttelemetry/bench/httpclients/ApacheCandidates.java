package io.locusttelemetry.bench.httpclients;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.util.Timeout;

/** Apache HttpClient 5 classic (blocking) API. */
final class ApacheCandidates {

    private ApacheCandidates() {
    }

    /**
     * Response handler that checks the status and drains the entity into a per-user buffer.
     * {@code execute(request, handler)} releases the connection back to its manager afterwards.
     */
    static HttpClientResponseHandler<Integer> drainingHandler() {
        byte[] buffer = new byte[8192];
        return (ClassicHttpResponse response) -> {
            int status = response.getCode();
            HttpEntity entity = response.getEntity();
            int total = 0;
            if (entity != null) {
                try (InputStream in = entity.getContent()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        total += n;
                    }
                }
            }
            if (status != 200) {
                throw new IOException("status " + status);
            }
            return total;
        };
    }

    /**
     * With {@code noTimeout}, the socket timeout (3 min by default) and the response timeout are
     * disabled, so blocking reads park the virtual thread without a timer.
     */
    private static HttpClientBuilder builder(boolean noTimeout) {
        HttpClientBuilder builder = HttpClients.custom();
        if (noTimeout) {
            builder.setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.DISABLED).build());
        }
        return builder;
    }

    private static ConnectionConfig connectionConfig(boolean noTimeout) {
        return noTimeout
                ? ConnectionConfig.custom().setSocketTimeout(Timeout.DISABLED).build()
                : ConnectionConfig.DEFAULT;
    }

    /** One client and one pooling connection manager shared by all users. */
    static final class Pooled implements Candidate {
        private final URI uri;
        private final int users;
        private final boolean noTimeout;
        private final CloseableHttpClient client;

        Pooled(URI uri, int users, boolean noTimeout) {
            this.uri = uri;
            this.users = users;
            this.noTimeout = noTimeout;
            PoolingHttpClientConnectionManager manager = PoolingHttpClientConnectionManagerBuilder
                    .create()
                    .setMaxConnPerRoute(users)
                    .setMaxConnTotal(users)
                    .setDefaultConnectionConfig(connectionConfig(noTimeout))
                    .build();
            this.client = builder(noTimeout).setConnectionManager(manager).build();
        }

        @Override
        public UserClient newUser(int index) {
            HttpClientResponseHandler<Integer> handler = drainingHandler();
            return () -> client.execute(new HttpGet(uri), handler);
        }

        @Override
        public String describe() {
            return "httpclient5 classic, PoolingHttpClientConnectionManager maxPerRoute=maxTotal="
                    + users + " (default STRICT policy, LIFO), otherwise default HttpClients.custom()"
                    + (noTimeout ? ", socket and response timeouts disabled" : ", default timeouts");
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    /** Every user owns a client with a BasicHttpClientConnectionManager (one connection). */
    static final class PerUser implements Candidate {
        private final URI uri;

        PerUser(URI uri) {
            this.uri = uri;
        }

        @Override
        public UserClient newUser(int index) {
            CloseableHttpClient client = HttpClients.custom()
                    .setConnectionManager(new BasicHttpClientConnectionManager())
                    .build();
            HttpClientResponseHandler<Integer> handler = drainingHandler();
            return new UserClient() {
                @Override
                public int get() throws IOException {
                    return client.execute(new HttpGet(uri), handler);
                }

                @Override
                public void close() throws IOException {
                    client.close();
                }
            };
        }

        @Override
        public String describe() {
            return "httpclient5 classic, one client + BasicHttpClientConnectionManager per user";
        }
    }
}
