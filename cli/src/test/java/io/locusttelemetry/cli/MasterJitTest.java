package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A master keeps its code in C1 (its work is a few messages a second); a worker, which generates the load, does not. */
class MasterJitTest {

    @Test
    void aMasterExcludesC2AndAWorkerKeepsIt(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (JlocustProcess master = JlocustProcess.start(dir, "master", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--master",
                "--master-bind-host", "127.0.0.1", "--master-bind-port", String.valueOf(port), "--headless", "--expect-workers", "1",
                "-u", "1", "-r", "1", "-t", "30s", "-H", "http://127.0.0.1:9");
             JlocustProcess worker = JlocustProcess.start(dir, "worker", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--worker",
                "--master-port", String.valueOf(port))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> master.output().contains("All users spawned"));
            assertThat(c2Excluded(master.jcmd("Compiler.directives_print"))).as("master").isTrue();
            assertThat(c2Excluded(worker.jcmd("Compiler.directives_print"))).as("worker").isFalse();
        }
    }

    /** Whether a directive other than the default one excludes C2 for every method. */
    private static boolean c2Excluded(String directives) {
        for (String d : directives.split("Directive:")) {
            if (d.startsWith(" (default)") || !d.contains("matching: *.*")) {
                continue;
            }
            int c2 = d.indexOf("c2 directives:");
            if (c2 >= 0 && d.substring(c2).contains("Exclude:true")) {
                return true;
            }
        }
        return false;
    }
}
