import io.locusttelemetry.engine.FixedCount;
import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;

/**
 * Requests in flight whenever a stop comes: fast ones to the host (nginx), slow ones to a delaying
 * target (system property {@code jlocust.test.slow} or variable {@code JLOCUST_TEST_SLOW}), which
 * end within the stop's grace; and one sleeper whose request outlives any grace.
 */
public class StopMix {
    static final String SLOW = System.getProperty("jlocust.test.slow", System.getenv("JLOCUST_TEST_SLOW"));

    public static class Mixed extends HttpUser {
        public Mixed() {
            waitTime(between(0, 0.05));
        }

        @Task(3)
        void fast() {
            client.get("/", o -> o.name("fast"));
        }

        @Task(1)
        void slow() {
            client.get(SLOW + "/delay?ms=" + random(50, 1200), o -> o.name("slow"));
        }
    }

    @FixedCount(1)
    public static class Sleeper extends HttpUser {
        @Task
        void sleep() {
            client.get(SLOW + "/delay?ms=60000", o -> o.name("sleeper"));
        }
    }
}
