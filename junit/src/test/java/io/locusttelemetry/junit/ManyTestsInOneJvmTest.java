package io.locusttelemetry.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.cli.demo.DemoTarget;
import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Load tests one after another and at the same time in one JVM: each sees only its own requests,
 * and none leaves a thread, a changed context class loader or a shutdown hook behind.
 */
class ManyTestsInOneJvmTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    public static class Home extends HttpUser {
        public Home() {
            waitTime(constant(0.05));
        }

        @Task
        void home() {
            client.get("/");
        }
    }

    public static class Item extends HttpUser {
        public Item() {
            waitTime(constant(0.05));
        }

        @Task
        void item() {
            client.get("/api/items/7", r -> r.name("item"));
        }
    }

    public static class Cart extends HttpUser {
        public Cart() {
            waitTime(constant(0.05));
        }

        @Task
        void cart() {
            client.post("/api/cart", r -> r.json(java.util.Map.of("id", 7)));
        }
    }

    private static LoadTestResult run(Class<? extends HttpUser> user, String url) {
        return LoadTest.of(user).host(url).users(3).spawnRate(30).runTime(Duration.ofSeconds(2)).threshold("fail_ratio==0").out(QUIET).run();
    }

    @Test
    void testsInSequenceAndInParallelShareNothing() throws Exception {
        try (DemoTarget shop = DemoTarget.start()) {
            run(Home.class, shop.url()); // a first run starts what a JVM keeps once (JIT, shared timers)
            Set<String> threadsBefore = threadNames();
            ClassLoader loader = Thread.currentThread().getContextClassLoader();

            for (int i = 0; i < 3; i++) {
                LoadTestResult r = run(i % 2 == 0 ? Home.class : Item.class, shop.url());
                assertThat(r.stats().entries()).extracting(e -> e.method() + " " + e.name())
                        .containsExactly(i % 2 == 0 ? "GET /" : "GET item");
                assertThat(r.thresholdsPassed()).as(r.summary()).isTrue();
            }

            long before = shop.requestCount();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<LoadTestResult>> runs = new ArrayList<>();
            for (Class<? extends HttpUser> user : List.of(Home.class, Item.class, Cart.class)) {
                runs.add(pool.submit(() -> run(user, shop.url())));
            }
            long total = 0;
            List<String> seen = new ArrayList<>();
            for (Future<LoadTestResult> f : runs) {
                LoadTestResult r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.stats().entries()).hasSize(1);
                seen.add(r.stats().entries().get(0).method() + " " + r.stats().entries().get(0).name());
                assertThat(r.total().numRequests()).isPositive();
                assertThat(r.thresholdsPassed()).as(r.summary()).isTrue();
                total += r.total().numRequests();
            }
            pool.shutdown();
            assertThat(seen).containsExactly("GET /", "GET item", "POST /api/cart");
            assertThat(shop.requestCount() - before).as("each run counted its own requests, all of them").isEqualTo(total);

            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(loader);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Set<String> left = new TreeSet<>();
            do {
                left = threadNames();
                left.removeAll(threadsBefore);
                left.removeIf(n -> n.startsWith("pool-"));
                if (left.isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            } while (System.nanoTime() < deadline);
            assertThat(left).as("threads the runs left behind").isEmpty();
        }
    }

    /** The live platform threads' names, with the numbers of the JDK's own pools taken out. */
    private static Set<String> threadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.isVirtual()) {
                names.add(t.getName().replaceAll("ForkJoinPool-\\d+-worker-\\d+", "ForkJoinPool-worker")
                        .replaceAll("HttpClient-\\d+-Worker-\\d+", "HttpClient-worker"));
            }
        }
        return names;
    }
}
