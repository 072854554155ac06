package io.locusttelemetry.telemetry.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads JSON telemetry lines and checks what a Promtail pipeline extracts from each. */
final class JsonLines {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String RFC3339_MILLIS_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    private JsonLines() {}

    /** Complete lines of {@code file} containing {@code text}, for waiting on progress. */
    static long countLinesContaining(Path file, String text) {
        try {
            if (!Files.exists(file)) {
                return 0;
            }
            return Files.readString(file, StandardCharsets.UTF_8).lines().filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line parsed; fails on a line that is not one complete JSON object. */
    static List<JsonNode> parse(List<String> lines) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines) {
            try {
                JsonNode n = MAPPER.readTree(line);
                assertThat(n.isObject()).as("line is a JSON object: %s", line).isTrue();
                out.add(n);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return out;
    }

    static List<JsonNode> parse(Path file) {
        String text;
        try {
            text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(text.isEmpty() || text.endsWith("\n")).as("file ends with a complete line").isTrue();
        return parse(text.isEmpty() ? List.of() : List.of(text.substring(0, text.length() - 1).split("\n", -1)));
    }

    /** What Promtail's json stage extracts for Loki labels: present and well formed on every line. */
    static void assertPromtailFields(JsonNode line) {
        assertThat(line.path("time").asText()).matches(RFC3339_MILLIS_UTC);
        Instant.parse(line.path("time").asText());
        assertThat(line.path("level").asText()).isIn("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL");
        assertThat(line.path("name").asText()).startsWith("locust_telemetry.");
        assertThat(line.path("message").asText()).startsWith("Recording telemetry ");
        JsonNode t = line.path("telemetry");
        assertThat(t.path("run_id").asText()).matches("[0-9a-f]{8}");
        assertThat(t.path("testplan").asText()).isNotBlank();
        assertThat(t.path("telemetry_type").asText()).isIn("event", "metrics");
        assertThat(t.path("telemetry_name").asText()).isNotBlank();
        assertThat(t.path("source").asText()).isIn("LocalRunner", "MasterRunner", "WorkerRunner");
        assertThat(t.path("source_id").asText()).isNotBlank();
    }

    static List<JsonNode> named(List<JsonNode> lines, String telemetryName) {
        return lines.stream().filter(n -> n.path("telemetry").path("telemetry_name").asText().equals(telemetryName)).toList();
    }

    static List<JsonNode> stats(List<JsonNode> lines, String statsType) {
        return named(lines, "locust.tl.request.metric.stats").stream()
                .filter(n -> n.path("telemetry").path("stats_type").asText().equals(statsType)).toList();
    }

    static Predicate<JsonNode> field(String name, String value) {
        return n -> n.path("telemetry").path(name).asText().equals(value);
    }
}
