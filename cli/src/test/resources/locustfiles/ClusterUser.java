import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.http.HttpResponse;

/** Same class name as the Python peer's user; each request is named after the worker that made it. */
public class ClusterUser extends HttpUser {
    public ClusterUser() {
        waitTime(constant(0.05));
    }

    @Task
    void index() {
        String source = environment().runner().sourceId();
        try (HttpResponse r = client.get("/?from=" + source, o -> o.name("/java/" + source))) {
            r.status();
        }
    }
}
