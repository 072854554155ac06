import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;

/** One request a task through measure(), no wait: the per-request path of the engine and the telemetry, nothing else. */
public class AllocUser extends User {
    @Task
    void call() throws Exception {
        measure("grpc", "Inventory/Get", () -> "item");
    }
}
