import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.SequentialTaskSet;
import io.locusttelemetry.engine.Tag;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.http.HttpResponse;

/** A fast user for checks: a checkout flow run in order, plus a tagged health check. */
public class QuickUser extends HttpUser {
    public QuickUser() {
        waitTime(constant(0.05));
    }

    @Task(5)
    void home() {
        client.get("/");
    }

    @Task(1)
    @Tag("health")
    void health() {
        try (HttpResponse r = client.get("/index.html", o -> o.catchResponse().name("health"))) {
            if (r.status() != 200) {
                r.failure("health check answered " + r.status());
            }
        }
    }

    @Task(2)
    static class Checkout extends SequentialTaskSet {
        @Task
        void cart() {
            client.get("/?step=cart", o -> o.name("/checkout/cart"));
        }

        @Task
        void pay() {
            client.get("/?step=pay", o -> o.name("/checkout/pay"));
            interrupt();
        }
    }
}
