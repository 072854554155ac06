import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/**
 * Fixed rate: one GET of the 100-byte file per task, each user paced to BENCH_RATE_PER_USER
 * tasks per second (Locust's constant_throughput), so that --users users make bench/run's --rate.
 * With BENCH_CLOSE=1 each request asks for {@code Connection: close}: a new connection (and over
 * HTTPS a new TLS handshake) per request. Over HTTPS the self-signed certificate is accepted unchecked.
 */
public class RateUser extends HttpUser {
    private static final boolean CLOSE = "1".equals(System.getenv("BENCH_CLOSE"));

    public RateUser() {
        waitTime(constantThroughput(Double.parseDouble(System.getenv().getOrDefault("BENCH_RATE_PER_USER", "200"))));
        client.verifyTls(false);
    }

    @Task
    void file() {
        if (CLOSE) {
            client.get("/file.txt", o -> o.header("Connection", "close"));
        } else {
            client.get("/file.txt");
        }
    }
}
