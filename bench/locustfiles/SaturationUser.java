import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/**
 * Saturation: one GET of the 100-byte file after another, no think time. Over HTTPS the server's
 * self-signed certificate is accepted unchecked, as the other generators of bench/run do.
 */
public class SaturationUser extends HttpUser {
    public SaturationUser() {
        waitTime(constant(0));
        client.verifyTls(false);
    }

    @Task
    void file() {
        client.get("/file.txt");
    }
}
