package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master keeps its code in C1 (its work is a few messages a second) except what it does for every message; a
 * worker, which generates the load, does not.
 * OTel exporters, which run every few seconds, stay in C1 wherever they run.
 */
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
            String directives = master.jcmd("Compiler.directives_print");
            assertThat(c2Excluded(directives)).as("master").isTrue();
            // what it does for every message stays open to C2
            for (String path : DistributedMode.MASTER_MESSAGE_PATH) {
                assertThat(c2Kept(directives, path)).as(path).isTrue();
            }
            assertThat(c2Excluded(worker.jcmd("Compiler.directives_print"))).as("worker").isFalse();
        }
    }

    @Test
    void otelExportersStayInC1AndTheRequestPathDoesNot(@TempDir Path dir) throws Exception {
        try (JlocustProcess run = JlocustProcess.start(dir, "otel", Map.of(), "-f", DistributedCliTest.LOCUSTFILE, "--headless",
                "-u", "1", "-r", "1", "-t", "30s", "-H", "http://127.0.0.1:9", "--testplan", "jit", "--enable-telemetry-recorder", "otel",
                "--lt-otel-exporter-otlp-endpoint", "http://127.0.0.1:" + Ports.free(), "--lt-otel-traces")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> run.output().contains("All users spawned"));
            String directives = run.jcmd("Compiler.directives_print");
            assertThat(c2Excluded(directives, "okhttp3/*.*")).isTrue();
            assertThat(c2Excluded(directives, "io/opentelemetry/exporter/*.*")).isTrue();
            assertThat(c2Excluded(directives, "*.*")).as("everything").isFalse();
        }
    }

    @Test
    void withTheLaunchersOptionsTheDirectiveIsAddedWithoutStartingTheMBeanServer(@TempDir Path dir) throws Exception {
        try (JlocustProcess run = JlocustProcess.start(dir, "otel", Map.of(),
                List.of("--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"), "-f", DistributedCliTest.LOCUSTFILE,
                "--headless", "-u", "1", "-r", "1", "-t", "30s", "-H", "http://127.0.0.1:9", "--testplan", "jit",
                "--enable-telemetry-recorder", "otel", "--lt-otel-exporter-otlp-endpoint", "http://127.0.0.1:" + Ports.free())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> run.output().contains("All users spawned"));
            assertThat(c2Excluded(run.jcmd("Compiler.directives_print"), "io/opentelemetry/exporter/*.*")).isTrue();
            // starting the platform MBean server costs about 0.6 s of CPU at start-up
            assertThat(run.jcmd("GC.class_histogram")).contains("io.locusttelemetry.cli.Main")
                    .doesNotContain("com.sun.jmx.mbeanserver.JmxMBeanServer ");
        }
    }

    private static boolean c2Excluded(String directives) {
        return c2Excluded(directives, "*.*");
    }

    /** Whether a directive other than the default one excludes C2 for methods matching {@code pattern}. */
    private static boolean c2Excluded(String directives, String pattern) {
        return c2Directive(directives, pattern, "Exclude:true");
    }

    /** Whether a directive other than the default one names {@code pattern} and keeps C2 for it. */
    private static boolean c2Kept(String directives, String pattern) {
        return c2Directive(directives, pattern, "Exclude:false");
    }

    private static boolean c2Directive(String directives, String pattern, String setting) {
        for (String d : directives.split("Directive:")) {
            if (d.startsWith(" (default)") || !java.util.Arrays.asList(d.split("\\s+")).contains(pattern)) {
                continue;
            }
            int c2 = d.indexOf("c2 directives:");
            if (c2 >= 0 && d.substring(c2).contains(setting)) {
                return true;
            }
        }
        return false;
    }
}
