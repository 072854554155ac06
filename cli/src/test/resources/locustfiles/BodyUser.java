import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

public class BodyUser extends HttpUser {
    public BodyUser() {
        waitTime(constant(0.05));
    }

    @Task
    void body() {
        client.get("/body");
    }
}
