package io.locusttelemetry.cli;

import static io.locusttelemetry.cli.StopTargets.MIX;
import static io.locusttelemetry.cli.StopTargets.SHAPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop paths of a jlocust master with jlocust workers keep the master's totals equal to what
 * the targets served, with requests in flight at each stop: the master's quit at the end of the
 * run time, a shape's lower counts, a worker stopped by SIGTERM, and a master that goes silent for
 * longer than its worker waits (the worker stops its users and announces itself again) and comes back.
 */
@Tag(Timing.TAG)
class DistributedStopPathsTest {

    @Test
    void theMastersQuitAtTheEndOfTheRunTime(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 2; i++) {
            Path run = dir.resolve("run-" + i);
            try (StopTargets t = StopTargets.start(run)) {
                masterWithWorkers(t, run, 2, MIX, "-u", "6", "-r", "50", "-t", "4s");
            }
        }
    }

    @Test
    void aShapeOnTheMasterLoweringTheUserCountTwice(@TempDir Path dir) throws Exception {
        try (StopTargets t = StopTargets.start(dir)) {
            masterWithWorkers(t, dir, 2, SHAPE);
        }
    }

    @Test
    void aWorkerStoppedBySigterm(@TempDir Path dir) throws Exception {
        try (StopTargets t = StopTargets.start(dir)) {
            int port = Ports.free();
            String prefix = dir.resolve("master").toString();
            CompletableFuture<Jlocust.Result> master = CompletableFuture.supplyAsync(() -> Jlocust.run(masterArgs(MIX, port, 1,
                    prefix, t, "-u", "6", "-r", "50")));
            try (JlocustProcess worker = worker(dir, "worker", t, MIX, port)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> t.nginx.loggedRequests() > 20 && t.slow.served() > 5);
                StopPathsTest.signal(worker, "TERM");
                assertThat(worker.waitFor(60)).as(worker.output()).isZero();
                Jlocust.Result r = master.get(60, TimeUnit.SECONDS);
                assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
                assertThat(t.assertCountedAllServed("worker SIGTERM", prefix, r.out() + worker.output())).isPositive();
            }
        }
    }

    @Test
    void aMasterSilentForLongerThanItsWorkerWaitsThenBack(@TempDir Path dir) throws Exception {
        try (StopTargets t = StopTargets.start(dir)) {
            int port = Ports.free();
            String prefix = dir.resolve("master").toString();
            try (JlocustProcess master = JlocustProcess.start(dir, "master", Map.of(), List.of(t.jvmOption()),
                    masterArgs(MIX, port, 1, prefix, t, "-u", "6", "-r", "50", "-t", "12s"));
                 JlocustProcess worker = worker(dir, "worker", t, MIX, port, "--master-heartbeat-timeout", "8")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> t.nginx.loggedRequests() > 20 && t.slow.served() > 5);
                // a worker takes a silent master for a restarted one only once that master has answered its
                // heartbeats (an old Locust master never does), and a master answers them once a second
                // from 1.5 s after its start: give it those first answers before it falls silent
                Thread.sleep(3000);
                StopPathsTest.signal(master, "STOP");
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> worker.output().contains("announcing this worker again"));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("no re-announcement within 20 s of the master's SIGSTOP\n--- worker:\n"
                            + worker.output() + "\n--- master:\n" + master.output(), e);
                } finally {
                    StopPathsTest.signal(master, "CONT");
                }
                assertThat(master.waitFor(60)).as(master.output()).isZero();
                assertThat(worker.waitFor(30)).as(worker.output()).isZero();
                assertThat(t.assertCountedAllServed("master silent, then back", prefix, master.output() + worker.output()))
                        .isPositive();
            }
        }
    }

    /** A master in this JVM with {@code workers} worker processes; asserts its totals once it ended. */
    private static void masterWithWorkers(StopTargets t, Path dir, int workers, String locustfile, String... load)
            throws Exception {
        int port = Ports.free();
        String prefix = dir.resolve("master").toString();
        CompletableFuture<Jlocust.Result> master = CompletableFuture.supplyAsync(() -> Jlocust.run(masterArgs(locustfile, port,
                workers, prefix, t, load)));
        List<JlocustProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                started.add(worker(dir, "worker-" + i, t, locustfile, port));
            }
            Jlocust.Result r = master.get(120, TimeUnit.SECONDS);
            StringBuilder output = new StringBuilder(r.out() + r.err());
            for (JlocustProcess w : started) {
                assertThat(w.waitFor(30)).as(w.output()).isZero();
                output.append(w.output());
            }
            assertThat(r.exitCode()).as(output.toString()).isZero();
            assertThat(t.assertCountedAllServed(dir.getFileName() + " " + String.join(" ", load), prefix, output.toString()))
                    .isPositive();
        } finally {
            started.forEach(JlocustProcess::close);
        }
    }

    private static String[] masterArgs(String locustfile, int port, int workers, String prefix, StopTargets t, String... load) {
        List<String> args = new ArrayList<>(List.of("-f", locustfile, "--master", "--master-bind-host", "127.0.0.1",
                "--master-bind-port", String.valueOf(port), "--expect-workers", String.valueOf(workers), "-H", t.nginx.url(),
                "--csv", prefix, "--only-summary"));
        args.addAll(List.of(load));
        return args.toArray(new String[0]);
    }

    private static JlocustProcess worker(Path dir, String name, StopTargets t, String locustfile, int port, String... more)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("-f", locustfile, "--worker", "--master-host", "127.0.0.1", "--master-port",
                String.valueOf(port)));
        args.addAll(List.of(more));
        return JlocustProcess.start(dir, name, Map.of(), List.of(t.jvmOption()), args.toArray(new String[0]));
    }
}
