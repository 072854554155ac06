package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.testing.Nginx;
import io.locusttelemetry.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A locustfile's {@code @OnInit} method runs on every role before {@code init}; on a worker before
 * it announces itself, so the handler it registers for {@code set_metadata} (a type the telemetry
 * handles too) gets the master's first message, and the telemetry's own handler still does.
 */
class InitHookCliTest {
    private static final String LOCUSTFILE = "src/test/resources/locustfiles/InitHookUser.java";

    @Test
    void theHookRunsOnEveryRoleAndSharesSetMetadataWithTheTelemetry(@TempDir Path dir) throws Exception {
        try (Nginx nginx = Nginx.start(dir.resolve("nginx"))) {
            int port = Ports.free();
            Path masterJson = dir.resolve("master.jsonl");
            Path workerJson = dir.resolve("worker.jsonl");
            try (JlocustProcess master = JlocustProcess.start(dir, "master", Map.of(), "-f", LOCUSTFILE, "--master", "--master-bind-host",
                    "127.0.0.1", "--master-bind-port", String.valueOf(port), "--expect-workers", "1", "-u", "1", "-r", "1", "-t", "4s",
                    "-H", nginx.url(), "--only-summary", "--testplan", "hooks", "--enable-telemetry-recorder", "json",
                    "--lt-json-output", masterJson.toString());
                 JlocustProcess worker = JlocustProcess.start(dir, "worker", Map.of(), "-f", LOCUSTFILE, "--worker", "--master-port",
                    String.valueOf(port), "--testplan", "hooks", "--enable-telemetry-recorder", "json", "--lt-json-output",
                    workerJson.toString());
                 JlocustProcess local = JlocustProcess.start(dir, "local", Map.of(), "-f", LOCUSTFILE, "-u", "1", "-t", "2s", "-H",
                    nginx.url(), "--only-summary")) {
                assertThat(master.waitFor(60)).as(master.output()).isZero();
                assertThat(worker.waitFor(20)).as(worker.output()).isZero();
                assertThat(local.waitFor(60)).as(local.output()).isZero();
                assertHookBeforeInit(master.output(), "MASTER");
                assertHookBeforeInit(local.output(), "LOCAL");
                String w = worker.output();
                assertHookBeforeInit(w, "WORKER");
                assertThat(w.indexOf("INIT LISTENER on WORKER")).as("announced after init").isLessThan(w.indexOf("Connected to the master"));
                String runId = runIds(masterJson).first();
                assertThat(w).contains("HOOK GOT set_metadata {").contains("run_id=" + runId);
                assertThat(w).doesNotContain("Unknown message type");
                // the telemetry's handler of the same message got it too: the worker's records carry the master's run id
                assertThat(runIds(workerJson)).containsExactly(runId);
            }
        }
    }

    private static void assertHookBeforeInit(String log, String role) {
        int hook = log.indexOf("INIT HOOK on " + role + " before init");
        assertThat(hook).as(log).isNotNegative();
        assertThat(log.indexOf("INIT LISTENER on " + role)).as(log).isGreaterThan(hook);
        assertThat(HostilePeersCliTest.count(log, "INIT HOOK on ")).isEqualTo(1);
    }

    private static TreeSet<String> runIds(Path jsonl) throws Exception {
        ObjectMapper json = new ObjectMapper();
        TreeSet<String> ids = new TreeSet<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (line.startsWith("{")) {
                JsonNode t = json.readTree(line).get("telemetry");
                ids.add(t.get("run_id").asText());
            }
        }
        assertThat(ids).isNotEmpty();
        return ids;
    }
}
