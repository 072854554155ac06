import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/**
 * Open model: one GET of the 100-byte file per iteration, or with BENCH_OPEN_IO=none no I/O at all
 * (the iteration reports one request of 0 ms, so that only the scheduler, the hand-off to a user and
 * the statistics are measured); bench/run's open section gives the arrival rate and --max-users.
 */
public class OpenUser extends HttpUser {
    private static final boolean HTTP = !"none".equals(System.getenv("BENCH_OPEN_IO"));

    @Task
    void file() {
        if (HTTP) {
            client.get("/file.txt");
        } else {
            reportRequest("none", "iteration", 0, 0, null);
        }
    }
}
