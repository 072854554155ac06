import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scale: many users, each waiting 30-60 s between requests. One source address holds only about
 * 28k connections to one destination port, so bench/run gives nginx extra ports
 * (BENCH_SCALE_PORTS=p1,p2,...) and the users are spread over them round robin.
 *
 * <p>With BENCH_SCALE_CLOSE=1 each request asks for {@code Connection: close}, so a user holds a
 * socket only while its request is in flight: for a process whose open-file limit is below the
 * user count (a container that does not let even root raise it).
 *
 * <p>Each user waits a random 0-30 s before its first request, as it does between requests: a
 * user's first task otherwise runs the moment it is spawned, so spawning 10,000 users a second
 * would also open 10,000 connections a second, and one GC pause bunches them past a 20,000
 * open-file limit. Spread out, the users make about 2,000 requests a second at any time.
 */
public class ScaleUser extends HttpUser {
    private static final String[] URLS = urls();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private static final boolean CLOSE = "1".equals(System.getenv("BENCH_SCALE_CLOSE"));

    private final String url;

    public ScaleUser() {
        waitTime(between(30, 60));
        url = URLS.length == 0 ? "/file.txt" : URLS[Math.floorMod(NEXT.getAndIncrement(), URLS.length)];
    }

    @Override
    protected void onStart() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(30_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: its first task then sees the stop
        }
    }

    private static String[] urls() {
        String ports = System.getenv("BENCH_SCALE_PORTS");
        if (ports == null || ports.isBlank()) {
            return new String[0];
        }
        String[] p = ports.split(",");
        String[] u = new String[p.length];
        for (int i = 0; i < p.length; i++) {
            u[i] = "http://127.0.0.1:" + p[i].trim() + "/file.txt";
        }
        return u;
    }

    @Task
    void file() {
        client.get(url, o -> {
            o.name("/file.txt");
            if (CLOSE) {
                o.header("Connection", "close");
            }
        });
    }
}
