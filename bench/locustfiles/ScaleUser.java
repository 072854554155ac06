import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scale: many users, each waiting 30-60 s between requests. One source address holds only about
 * 28k connections to one destination port, so bench/run gives nginx extra ports
 * (BENCH_SCALE_PORTS=p1,p2,...) and the users are spread over them round robin.
 *
 * <p>With BENCH_SCALE_CLOSE=1 each request asks for {@code Connection: close}, so a user holds a
 * socket only while its request is in flight: for a process whose open-file limit is below the
 * user count (a container that does not let even root raise it).
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
