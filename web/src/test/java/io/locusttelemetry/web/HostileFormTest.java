package io.locusttelemetry.web;

import static io.locusttelemetry.web.WebTestSupport.form;
import static io.locusttelemetry.web.WebTestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.LocalRunner;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.telemetry.TelemetryOptions;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginManager;
import io.locusttelemetry.testing.Nginx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile values in every field of {@code /swarm}, against a running test: each bad value is a 400
 * with one clear line naming the field, never a 500, and the running test keeps its users, classes,
 * host and options.
 */
class HostileFormTest {
    private static final String[] FIELDS = {"user_count", "spawn_rate", "host", "run_time", "user_classes", "weight_IndexUser",
        "testplan", "run_id"};
    private static final String[] HOSTILE = {"", "abc", "-1", "-0.5", "0", "NaN", "Infinity", "-Infinity", "1e309", "99999999999999999999",
        "2147483648", "1.5", "0x10", " 7 ", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
        "file:///etc/passwd", "http://", "http://[::1", "../../../etc/passwd", "%00", "\u0000", "a\nb", "a\rb", "\u001b[31mred",
        "\u2028", "\u202e", "😀", "Ω≈ç√", "' OR 1=1 --", "${jndi:ldap://x}", "{{7*7}}", "x".repeat(3000), "1,2,3", "true", "null"};

    @TempDir
    Path dir;

    @Test
    void everyHostileValueIsA400AndTheRunningTestIsUnharmed() throws Exception {
        try (Nginx nginx = Nginx.start(dir)) {
            Environment env = Environment.builder().userClasses(WebTestSupport.IndexUser.class, WebTestSupport.OtherUser.class)
                    .host(nginx.url()).build();
            LocalRunner runner = env.createLocalRunner();
            TelemetryCoordinator telemetry = new TelemetryCoordinator(env,
                    TelemetryRecorderPluginManager.discover(getClass().getClassLoader(), List.of()));
            try (WebUi web = WebUi.builder(env).settings(WebSettings.loopback()).telemetry(telemetry)
                    .formOptions(TelemetryOptions.coreOptions()).reports(WebTestSupport.reportsOf(env)).start()) {
                String swarm = web.url() + "swarm";
                assertThat(post(swarm, form(List.of(Map.entry("user_count", "3"), Map.entry("spawn_rate", "100"),
                        Map.entry("user_classes", "IndexUser"), Map.entry("testplan", "steady")))).status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> runner.userCount() == 3);
                String host = env.host();

                // the named cases, with the message a person needs
                expect400(swarm, List.of(Map.entry("user_count", "abc"), Map.entry("spawn_rate", "1")), "user_count must be a whole number");
                expect400(swarm, List.of(Map.entry("user_count", "5"), Map.entry("spawn_rate", "-2")), "spawn_rate must be above 0");
                expect400(swarm, List.of(Map.entry("user_count", "5"), Map.entry("spawn_rate", "1"), Map.entry("user_classes", "Nope")),
                        "unknown user class 'Nope'");
                expect400(swarm, List.of(Map.entry("user_count", "5"), Map.entry("spawn_rate", "1"), Map.entry("run_id", "bad id!")),
                        "--run-id must be");
                expect400(swarm, List.of(Map.entry("user_count", "5"), Map.entry("spawn_rate", "1"), Map.entry("host", "<script>")),
                        "host must be an http or https URL");

                Random random = new Random(42);
                int refused = 0;
                for (int i = 0; i < 300; i++) {
                    List<Map.Entry<String, String>> fields = new ArrayList<>(List.of(Map.entry("user_count", "3"),
                            Map.entry("spawn_rate", "100")));
                    String field = FIELDS[random.nextInt(FIELDS.length)];
                    String value = random.nextInt(4) == 0 ? randomText(random) : HOSTILE[random.nextInt(HOSTILE.length)];
                    fields.removeIf(e -> e.getKey().equals(field));
                    fields.add(Map.entry(field, value));
                    WebTestSupport.Answer a = post(swarm, form(fields));
                    assertThat(a.status()).as(field + "=" + printable(value) + " -> " + a.body()).isIn(200, 400, 409);
                    JsonNode json = a.json();
                    String message = json.path("message").asText();
                    assertThat(message).as("one line").doesNotContain("\n", "\r", "\u0000");
                    if (a.status() != 200) {
                        refused++;
                        assertThat(json.path("success").asBoolean()).isFalse();
                        assertThat(message).as("names what was wrong").isNotBlank();
                    }
                    assertThat(runner.state()).isIn(RunnerState.RUNNING, RunnerState.SPAWNING);
                    assertThat(runner.userClassesCount().get("OtherUser")).as("no other class started").isZero();
                    assertThat(env.host()).as("a running test keeps its host").isEqualTo(host);
                }
                assertThat(refused).as("most hostile values are refused").isGreaterThan(150);
                await().atMost(Duration.ofSeconds(10)).until(() -> runner.userCount() == 3);
                assertThat(env.parsedOptions().getString("testplan")).isEqualTo("steady");

                // random bytes as the whole body
                for (int i = 0; i < 100; i++) {
                    byte[] body = new byte[random.nextInt(200)];
                    random.nextBytes(body);
                    WebTestSupport.Answer a = post(swarm, new String(body, StandardCharsets.ISO_8859_1));
                    assertThat(a.status()).isIn(200, 400, 409);
                }
                assertThat(runner.state()).isIn(RunnerState.RUNNING, RunnerState.SPAWNING);
            } finally {
                runner.quit();
            }
        }
    }

    private static void expect400(String url, List<Map.Entry<String, String>> fields, String message) throws Exception {
        WebTestSupport.Answer a = post(url, form(fields));
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        assertThat(a.json().path("message").asText()).contains(message);
    }

    private static String randomText(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(r.nextInt(3) == 0 ? r.nextInt(0x20) : r.nextInt(2) == 0 ? 0x20 + r.nextInt(0x5f) : r.nextInt(0xd7ff));
        }
        return sb.toString();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(60).forEach(c -> sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : Character.toString(c)));
        return sb.toString();
    }
}
