import io.locusttelemetry.engine.Http2;
import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/**
 * HTTP/2: one GET of the 100-byte file per task, every request over HTTP/2 (h2 negotiated by ALPN
 * for an https:// host, h2c with prior knowledge for an http:// one), one connection per user.
 * With BENCH_RATE_PER_USER set, each user is paced to that many tasks per second (Locust's
 * constant_throughput), so that --users users make bench/run's --rate; without it there is no
 * think time (saturation). Over HTTPS the self-signed certificate is accepted unchecked.
 */
@Http2
public class Http2User extends HttpUser {
    private static final String RATE_PER_USER = System.getenv("BENCH_RATE_PER_USER");

    public Http2User() {
        waitTime(RATE_PER_USER == null ? constant(0) : constantThroughput(Double.parseDouble(RATE_PER_USER)));
        client.verifyTls(false);
    }

    @Task
    void file() {
        client.get("/file.txt");
    }
}
