import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

public class DelayUser extends HttpUser {
    @Task
    void delayed() {
        client.get("/delay?ms=245", r -> r.name("delay-250"));
    }
}
