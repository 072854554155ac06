import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

public class Broken extends HttpUser {
    @Task
    void index() {
        client.get("/")
    }
}
