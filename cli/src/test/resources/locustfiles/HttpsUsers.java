import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/** Users of an HTTPS server with a self-signed certificate, chosen by class name on the command line. */
public class HttpsUsers {
    /** Accepts the self-signed certificate (verifyTls(false)) and keeps its connection alive. */
    public static class Unverified extends HttpUser {
        public Unverified() {
            waitTime(constant(0.01));
            client.verifyTls(false);
        }

        @Task(3)
        void index() {
            client.get("/");
        }

        @Task
        void page() {
            client.get("/page?id=1", r -> r.name("/page"));
        }
    }

    /** The same, each request on a new connection: a TLS handshake per request. */
    public static class Reconnecting extends HttpUser {
        public Reconnecting() {
            waitTime(constant(0.01));
            client.verifyTls(false);
        }

        @Task
        void index() {
            client.get("/", r -> r.header("Connection", "close"));
        }
    }

    /** Checks the certificate (the default): the self-signed one fails every request. */
    public static class Verifying extends HttpUser {
        public Verifying() {
            waitTime(constant(0.05));
        }

        @Task
        void index() {
            client.get("/");
        }
    }
}
