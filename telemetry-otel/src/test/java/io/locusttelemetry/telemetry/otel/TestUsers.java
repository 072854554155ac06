package io.locusttelemetry.telemetry.otel;

import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;

/** Users for the otel recorder tests. */
final class TestUsers {
    private TestUsers() {}

    /** A port where nothing listens, for requests without a response. */
    static volatile int closedPort;

    /** Real HTTP requests: successes on GET /ok, 500s on POST /fail, refused connections on GET /down, and a custom request. */
    public static class ShopUser extends HttpUser {
        public ShopUser() {
            waitTime(constant(0.01));
        }

        @Task(4)
        public void browse() {
            client.get("/ok");
        }

        @Task(2)
        public void checkout() {
            client.post("/fail", o -> o.body("{}", "application/json"));
        }

        @Task
        public void down() {
            client.get("http://127.0.0.1:" + closedPort + "/down");
        }

        @Task
        public void inventory() {
            reportRequest("grpc", "Inventory/Get", 3, 10, null);
        }
    }

    /** Many distinct request names, for the endpoint cardinality guard. */
    public static class ManyNamesUser extends User {
        private int n;

        public ManyNamesUser() {
            waitTime(constant(0.005));
        }

        @Task
        public void item() {
            reportRequest("GET", "/item/" + (n++ % 8), 2, 10, null);
        }
    }

    /** Fast fake requests with no waiting, to load the exporters. */
    public static class BusyUser extends User {
        public BusyUser() {
            waitTime(constant(0));
        }

        @Task
        public void work() {
            reportRequest("GET", "/busy", 1, 10, null);
        }
    }
}
