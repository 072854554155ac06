package io.locusttelemetry.cluster;

import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.http.HttpResponse;

/** The Java user of the interop tests; the Python peer's class has the same name. */
public class ClusterUser extends HttpUser {
    public ClusterUser() {
        waitTime(constant(0.05));
    }

    @Task
    void index() {
        // named after the worker that made it, so a test can tell workers apart
        String source = environment().runner().sourceId();
        try (HttpResponse r = client.get("/?from=" + source, o -> o.name("/java/" + source))) {
            r.status();
        }
    }
}
