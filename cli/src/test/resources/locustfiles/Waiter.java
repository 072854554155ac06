import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/** Requests /wait back to back: the test's target answers it after a delay the test sets (and may change). */
public class Waiter extends HttpUser {
    @Task
    void waitForIt() {
        client.get("/wait");
    }
}
