import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;

/** Users whose requests all pass, or all fail, without a network. */
public class Outcomes {
    public static class Passing extends User {
        public Passing() {
            waitTime(constant(0.05));
        }

        @Task
        void ok() {
            reportRequest("custom", "ok", 1, 10, null);
        }
    }

    public static class Failing extends User {
        public Failing() {
            waitTime(constant(0.05));
        }

        @Task
        void fail() {
            reportRequest("custom", "fail", 1, 10, "it failed");
        }
    }
}
