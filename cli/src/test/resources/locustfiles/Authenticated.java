import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/** Requests a page and one behind a redirect. */
public class Authenticated extends HttpUser {
    public Authenticated() {
        waitTime(constant(0.05));
    }

    @Task
    void page() {
        client.get("/page");
    }

    @Task
    void redirected() {
        client.get("/redirect");
    }
}
