package io.locusttelemetry.telemetry.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.LocalRunner;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.telemetry.TelemetryLevel;
import io.locusttelemetry.telemetry.TelemetryRecord;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginManager;
import io.locusttelemetry.telemetry.TelemetryType;
import io.locusttelemetry.telemetry.json.internal.JsonLineWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 64 threads writing telemetry at once, while users record requests: no line is ever split or interleaved. */
class ConcurrentWritesTest {
    private static final int THREADS = 64;
    private static final int PER_THREAD = 50;

    /** Long enough to span several OS writes if a line were not written at once; multi-byte UTF-8 included. */
    private static String payload(int thread, int index) {
        return ("t" + thread + "-i" + index + " é✓ ").repeat(100);
    }

    private static void runThreads(ThrowingIntConsumer body) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().name("writer-" + t).start(() -> {
                try {
                    go.await();
                    body.accept(thread);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(60))).isTrue();
        }
        assertThat(failures).isEmpty();
    }

    @FunctionalInterface
    interface ThrowingIntConsumer {
        void accept(int value) throws Exception;
    }

    @Test
    void sixtyFourThreadsWriteWholeLinesToAFileDuringARun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("telemetry.jsonl");
        Environment env = JsonRecorderRunTest.environment(file, "json,burst", Map.of());
        TelemetryCoordinator coordinator = new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(getClass().getClassLoader()));
        LocalRunner runner = env.createLocalRunner();
        env.events().init.fire(env);
        BurstTestPlugin.BurstRecorder burst = coordinator.recorders().stream()
                .filter(BurstTestPlugin.BurstRecorder.class::isInstance).map(BurstTestPlugin.BurstRecorder.class::cast).findFirst().orElseThrow();
        runner.start(4, 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> env.stats().snapshot().total().numRequests() > 20);

        runThreads(thread -> {
            for (int i = 0; i < PER_THREAD; i++) {
                burst.emit(thread, i, payload(thread, i));
            }
        });
        runner.quit();
        env.events().quitting.fire(env);

        List<JsonNode> lines = JsonLines.parse(file);
        assertThat(lines).allSatisfy(JsonLines::assertPromtailFields);
        List<JsonNode> bursts = JsonLines.named(lines, "burst.metric");
        assertThat(bursts).hasSize(THREADS * PER_THREAD);
        Set<String> seen = new HashSet<>();
        for (JsonNode n : bursts) {
            JsonNode t = n.path("telemetry");
            int thread = t.path("thread").asInt();
            int index = t.path("index").asInt();
            assertThat(t.path("payload").asText()).isEqualTo(payload(thread, index));
            assertThat(n.path("name").asText()).isEqualTo("locust_telemetry.burst");
            seen.add(thread + "/" + index);
        }
        assertThat(seen).hasSize(THREADS * PER_THREAD);
        assertThat(JsonLines.stats(lines, "final")).hasSize(1);
        assertThat(JsonLines.stats(lines, "final").get(0).path("telemetry").path("num_requests").asLong())
                .isEqualTo(env.stats().snapshot().total().numRequests());
    }

    @Test
    void sixtyFourThreadsWriteWholeLinesToAStream() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stdout = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        JsonLineWriter writer = new JsonLineWriter(stdout, false, "stdout");
        runThreads(thread -> {
            for (int i = 0; i < PER_THREAD; i++) {
                writer.write(new TelemetryRecord(Instant.now(), TelemetryLevel.INFO, "locust_telemetry.json", "Recording telemetry metrics: x",
                        TelemetryType.METRICS, "x", Map.of("thread", thread, "index", i, "payload", payload(thread, i))));
                if (i % 10 == 0) {
                    stdout.print(""); // other users of the stream
                }
            }
        });
        writer.close();
        stdout.flush();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        List<JsonNode> lines = JsonLines.parse(List.of(text.substring(0, text.length() - 1).split("\n", -1)));
        assertThat(lines).hasSize(THREADS * PER_THREAD).allSatisfy(n -> {
            JsonNode t = n.path("telemetry");
            assertThat(t.path("payload").asText()).isEqualTo(payload(t.path("thread").asInt(), t.path("index").asInt()));
        });
    }

}
