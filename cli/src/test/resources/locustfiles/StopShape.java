import io.locusttelemetry.engine.FixedCount;
import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.LoadTestShape;
import io.locusttelemetry.engine.Task;

/**
 * {@code StopMix}'s users under a shape that lowers the user count twice while requests are in
 * flight, then ends the test: 6 users, 2, 6, 2, stop (2 s each).
 */
public class StopShape {
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

    public static class UpAndDown extends LoadTestShape {
        private static final int[] USERS = {6, 2, 6, 2};

        @Override
        public Tick tick() {
            int step = (int) (runTime() / 2);
            return step < USERS.length ? users(USERS[step], 50) : null;
        }
    }
}
