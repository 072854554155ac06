package io.locusttelemetry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.stats.EntrySnapshot;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stop with {@code --stop-timeout 0} and a request in flight: the request ends within the grace
 * and is reported as it ended, or it is cut when the grace is over and reported as a failure
 * "interrupted by stop"; a user killed out of a request sends nothing more.
 */
class RequestGraceTest {
    static volatile long workMillis;
    static volatile CountDownLatch inRequest;
    static final AtomicInteger sentAfterSleep = new AtomicInteger();
    static volatile String url;

    /** One measured request of {@link #workMillis}. */
    public static class Measured extends User {
        @Task
        void work() throws Exception {
            measure("custom", "work", () -> {
                inRequest.countDown();
                Thread.sleep(workMillis);
                return null;
            });
        }
    }

    /** A request started and reported by hand, failing when its client is interrupted. */
    public static class ByHand extends User {
        @Task
        void work() {
            RequestContext r = startRequest("custom", "by-hand");
            inRequest.countDown();
            try {
                Thread.sleep(workMillis);
                reportRequest(r, workMillis, 0, null);
            } catch (InterruptedException e) {
                reportRequest(r, workMillis, 0, "client interrupted");
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An HTTP request to a server that reads it and never answers. */
    public static class Hanging extends HttpUser {
        @Task
        void get() {
            inRequest.countDown();
            client.get(url + "/never", o -> o.name("never"));
        }
    }

    /** Busy in its own code when the stop comes, then tries to send. */
    public static class Sleepy extends User {
        @Task
        void work() throws InterruptedException {
            inRequest.countDown();
            try {
                Thread.sleep(60_000);
            } finally {
                sentAfterSleep.incrementAndGet();
                reportRequest(startRequest("custom", "after-sleep"), 1, 0, null);
            }
        }
    }

    private LocalRunner runner;

    @AfterEach
    void quit() {
        if (runner != null) {
            runner.quit();
        }
    }

    private Environment start(Class<? extends User> user, long millis) throws InterruptedException {
        workMillis = millis;
        inRequest = new CountDownLatch(1);
        Environment env = Environment.builder().userClasses(user).build();
        runner = env.createLocalRunner();
        runner.start(1, 100);
        assertThat(inRequest.await(10, TimeUnit.SECONDS)).isTrue();
        return env;
    }

    private double timedStop() {
        long t0 = System.nanoTime();
        runner.stop();
        return (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void aRequestEndingWithinTheGraceIsReportedAsItEnded() throws Exception {
        Environment env = start(Measured.class, 800);
        double took = timedStop();
        EntrySnapshot work = env.stats().snapshot().entries().stream().filter(e -> e.name().equals("work")).findFirst().orElseThrow();
        assertThat(work.numRequests()).isEqualTo(1);
        assertThat(work.numFailures()).isZero();
        assertThat(took).as("the stop waited for it").isBetween(0.5, 1.9);
    }

    @Test
    void aRequestOutlivingTheGraceIsCutAndCountedAsInterruptedByStop() throws Exception {
        Environment env = start(Measured.class, 30_000);
        double took = timedStop();
        assertThat(took).isBetween(AbstractRunner.REQUEST_GRACE.toMillis() / 1000.0 - 0.1, 4.0);
        assertThat(env.stats().snapshot().errors()).extracting(ErrorSnapshot::name, ErrorSnapshot::error, ErrorSnapshot::occurrences)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("work", "interrupted by stop", 1L));
        assertThat(runner.exceptions()).as("a cut request is not the user's error").isEmpty();
    }

    @Test
    void aRequestReportedByHandAfterItsCutIsInterruptedByStop() throws Exception {
        Environment env = start(ByHand.class, 30_000);
        timedStop();
        assertThat(env.stats().snapshot().errors()).extracting(ErrorSnapshot::error).containsExactly("interrupted by stop");
    }

    @Test
    void anHttpRequestTheTargetReadButNeverAnsweredIsCut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<String> received = new CopyOnWriteArrayList<>();
            CompletableFuture.runAsync(() -> readRequests(server, received));
            url = "http://127.0.0.1:" + server.getLocalPort();
            Environment env = start(Hanging.class, 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
            double took = timedStop();
            assertThat(took).isBetween(1.5, 4.0);
            assertThat(received).hasSize(1);
            EntrySnapshot never = env.stats().snapshot().entries().stream().filter(e -> e.name().equals("never")).findFirst()
                    .orElseThrow();
            assertThat(never.numRequests()).isEqualTo(1);
            assertThat(env.stats().snapshot().errors()).extracting(ErrorSnapshot::error).containsExactly("interrupted by stop");
        }
    }

    @Test
    void aUserKilledOutOfARequestSendsNothingMore() throws Exception {
        sentAfterSleep.set(0);
        Environment env = start(Sleepy.class, 0);
        double took = timedStop();
        assertThat(took).isLessThan(1.0);
        assertThat(sentAfterSleep.get()).as("it tried").isEqualTo(1);
        assertThat(env.stats().snapshot().total().numRequests()).as("nothing was sent").isZero();
    }

    @Test
    void aSecondStopWaitsForTheFirstOne() throws Exception {
        Environment env = start(Measured.class, 800);
        CompletableFuture<Void> first = CompletableFuture.runAsync(runner::stop);
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.state() == RunnerState.STOPPING);
        runner.stop();
        assertThat(runner.state()).isEqualTo(RunnerState.STOPPED);
        assertThat(env.stats().snapshot().total().numRequests()).as("the request in flight, counted").isEqualTo(1);
        first.get(5, TimeUnit.SECONDS);
    }

    /** Reads request heads and answers none. */
    private static void readRequests(ServerSocket server, List<String> received) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.toString().endsWith("\r\n\r\n")) {
                    received.add(head.toString());
                    head.setLength(0);
                }
            }
        } catch (IOException e) {
            // closed
        }
    }
}
