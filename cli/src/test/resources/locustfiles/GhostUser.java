import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.http.HttpResponse;

/** A class only the master has: workers with ClusterUser.java cannot run it. */
public class GhostUser extends HttpUser {
    public GhostUser() {
        waitTime(constant(0.05));
    }

    @Task
    void index() {
        try (HttpResponse r = client.get("/?ghost")) {
            r.status();
        }
    }
}
