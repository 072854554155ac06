import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/**
 * Fixed rate: one GET of the 100-byte file per task, each user paced to BENCH_RATE_PER_USER
 * tasks per second (Locust's constant_throughput), so that --users users make bench/run's --rate.
 */
public class RateUser extends HttpUser {
    public RateUser() {
        waitTime(constantThroughput(Double.parseDouble(System.getenv().getOrDefault("BENCH_RATE_PER_USER", "200"))));
    }

    @Task
    void file() {
        client.get("/file.txt");
    }
}
