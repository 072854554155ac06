package io.locusttelemetry.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.HttpUser;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.testing.Nginx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two load tests one after the other in this JVM against a real nginx: each counts exactly what nginx logged for it. */
class LoadTestAgainstNginxTest {
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    public static class Reader extends HttpUser {
        public Reader() {
            waitTime(constant(0.02));
        }

        @Task(3)
        void index() {
            client.get("/");
        }

        @Task
        void page() {
            client.get("/page/" + random(1, 9), r -> r.name("/page/[n]"));
        }
    }

    @Test
    void twoTestsInOneJvmEachCountWhatNginxServed(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            LoadTest test = LoadTest.of(Reader.class).host(nginx.url()).users(4).spawnRate(40).runTime(Duration.ofSeconds(2))
                    .threshold("fail_ratio==0", "GET /: requests>0").out(QUIET);
            long logged = 0;
            for (int run = 1; run <= 2; run++) {
                LoadTestResult r = test.run();
                long nowLogged = awaitLogged(nginx, logged + r.total().numRequests());
                assertThat(r.thresholdsPassed()).as(r.summary()).isTrue();
                assertThat(r.exitCode()).isZero();
                assertThat(r.total().numFailures()).isZero();
                assertThat(r.total().numRequests()).as("run %d: requests counted = requests nginx logged", run).isPositive()
                        .isEqualTo(nowLogged - logged);
                assertThat(r.endpoint("GET /").numRequests() + r.endpoint("/page/[n]").numRequests()).isEqualTo(r.total().numRequests());
                logged = nowLogged;
            }
            assertThat(nginx.loggedRequests("GET /page/")).isPositive();
        }
    }

    /** nginx writes its log line after the response: wait a moment for {@code expected} lines, then read what is there. */
    private static long awaitLogged(Nginx nginx, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (nginx.loggedRequests() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // and no line more than that
        return nginx.loggedRequests();
    }
}
