import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;

/** A user whose every task throws, as fast as it can. */
public class Thrower extends User {
    @Task
    void fail() {
        throw new IllegalStateException("always broken");
    }
}
