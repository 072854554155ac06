import io.locusttelemetry.engine.Http2;
import io.locusttelemetry.engine.http.HttpResponse;
import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/** Users of an HTTP/2 server (nginx with a self-signed certificate, or h2c), chosen by class name on the command line. */
public class Http2Users {
    /** The annotation switches every request to HTTP/2; the self-signed certificate is accepted. */
    @Http2
    public static class Annotated extends HttpUser {
        public Annotated() {
            waitTime(constant(0.005));
            client.verifyTls(false);
        }

        @Task(3)
        void index() {
            client.get("/index.html");
        }

        @Task
        void page() {
            client.get("/page?id=1", r -> r.name("/page"));
        }
    }

    /** The session's switch, and what a user relies on: cookies, redirects, failures by status, caught responses. */
    public static class Switched extends HttpUser {
        public Switched() {
            waitTime(constant(0.01));
            client.http2().verifyTls(false);
        }

        @Task
        void journey() {
            client.get("/h2/cookie");
            try (HttpResponse r = client.get("/h2/echo-cookie", o -> o.catchResponse())) {
                if (!r.text().contains("session=h2")) {
                    r.failure("cookie not sent back: " + r.text());
                }
            }
            try (HttpResponse r = client.get("/h2/redirect", o -> o.catchResponse())) {
                if (r.status() != 200 || !r.url().endsWith("/index.html") || !r.text().contains("hello from nginx")) {
                    r.failure("redirect not followed: " + r.status() + " " + r.url());
                }
            }
            client.get("/h2/status/404");
        }
    }

    /** Requests in flight at every stop: quick ones, ones that end within the stop's grace, one that outlives it. */
    @Http2
    public static class InFlight extends HttpUser {
        public InFlight() {
            waitTime(constant(0.01));
            client.verifyTls(false);
        }

        @Task(10)
        void quick() {
            client.get("/index.html");
        }

        @Task(3)
        void slowish() {
            client.get("/h2/slowish");
        }

        @Task
        void slow() {
            client.get("/h2/slow");
        }
    }
}
