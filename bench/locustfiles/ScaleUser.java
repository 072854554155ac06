import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/** Scale: many users, each waiting 30-60 s between requests. */
public class ScaleUser extends HttpUser {
    public ScaleUser() {
        waitTime(between(30, 60));
    }

    @Task
    void file() {
        client.get("/file.txt");
    }
}
