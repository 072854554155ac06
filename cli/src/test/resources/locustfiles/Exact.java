import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;

/** Reports requests of exactly 250 ms (and of 10 ms for /fast), without a network: thresholds meet them exactly. */
public class Exact extends User {
    public Exact() {
        waitTime(constant(0.01));
    }

    @Task(3)
    void exact() {
        reportRequest("custom", "exact", 250, 10, null);
    }

    @Task
    void fast() {
        reportRequest("custom", "/fast", 10, 10, null);
    }
}
