import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;
import java.util.concurrent.atomic.AtomicInteger;

/** User classes whose constructors go wrong. */
public class Constructors {
    public static class Throws extends User {
        public Throws() {
            throw new IllegalStateException("no test data in ./users.csv");
        }

        @Task
        void work() {}
    }

    public static class NeedsArgument extends User {
        public NeedsArgument(String name) {}

        @Task
        void work() {}
    }

    /** Only the third user created throws (the check before the test creates the first). */
    public static class ThirdFails extends User {
        static final AtomicInteger CREATED = new AtomicInteger();

        public ThirdFails() {
            waitTime(constant(0.1));
            if (CREATED.incrementAndGet() == 3) {
                throw new IllegalStateException("the third user has no account");
            }
        }

        @Task
        void work() {
            reportRequest("custom", "work", 1, 10, null);
        }
    }
}
