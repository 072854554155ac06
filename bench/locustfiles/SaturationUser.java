import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/** Saturation: one GET of the 100-byte file after another, no think time. */
public class SaturationUser extends HttpUser {
    public SaturationUser() {
        waitTime(constant(0));
    }

    @Task
    void file() {
        client.get("/file.txt");
    }
}
