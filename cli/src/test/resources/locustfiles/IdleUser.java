import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;

/** Waits most of the time: a generator with nothing to do. */
public class IdleUser extends User {
    public IdleUser() {
        waitTime(constant(0.05));
    }

    @Task
    void nap() {
        reportRequest("custom", "nap", 1, 0, null);
    }
}
