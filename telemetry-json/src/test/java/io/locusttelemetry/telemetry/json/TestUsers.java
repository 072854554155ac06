package io.locusttelemetry.telemetry.json;

import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;

/** Users for the JSON recorder tests. */
final class TestUsers {
    private TestUsers() {}

    /** Reports fake requests: successes on GET /ok, failures on POST /fail. */
    public static class ApiUser extends User {
        public ApiUser() {
            waitTime(constant(0.02));
        }

        @Task(3)
        public void ok() {
            reportRequest("GET", "/ok", 5 + random(0, 20), 120, null);
        }

        @Task
        public void fail() {
            reportRequest("POST", "/fail", 7, 0, "HTTPError('500 Server Error: /fail')");
        }
    }
}
