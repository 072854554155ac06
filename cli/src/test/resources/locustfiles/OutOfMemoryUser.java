import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.Task;

public class OutOfMemoryUser extends User {
    public OutOfMemoryUser() {
        waitTime(constant(0.2));
    }

    @Task
    void allocate() {
        long[] tooLarge = new long[Integer.MAX_VALUE];
        tooLarge[0] = 1;
    }
}
