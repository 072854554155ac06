package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request names with an unpaired surrogate, newlines and terminal escapes: every report is written
 * whole (what UTF-8 cannot encode becomes U+FFFD), the console shows each name on its row with its
 * control characters escaped, and the files keep the names exact.
 */
class HostileNamesTest {
    private static final String FILE = "src/test/resources/locustfiles/Names.java";
    private static final String CONTROLS = "two\nlines\r\tand \u001b[31mred\u001b[0m \u0007bell";
    private static final String CONTROLS_SHOWN = "two\\nlines\\r\\tand \\x1b[31mred\\x1b[0m \\x07bell";

    @Test
    void everyReportIsWrittenWholeWithReplacementCharacters(@TempDir Path dir) throws Exception {
        String csv = dir.resolve("run").toString();
        Path html = dir.resolve("report.html");
        Path telemetry = dir.resolve("telemetry.jsonl");
        Jlocust.Result r = Jlocust.run("-f", FILE, "-u", "2", "-r", "20", "-t", "2s", "--exit-code-on-error", "0", "--csv", csv,
                "--html", html.toString(), "--enable-telemetry-recorder", "json", "--testplan", "names", "--lt-json-output",
                telemetry.toString(), "--lt-stats-recorder-interval", "1");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        for (String suffix : List.of("_stats.csv", "_failures.csv", "_exceptions.csv", "_stats_history.csv")) {
            assertThat(Path.of(csv + suffix)).exists();
            strictUtf8(Path.of(csv + suffix));
        }
        String stats = strictUtf8(Path.of(csv + "_stats.csv"));
        assertThat(stats).contains("custom,lone \uFFFD surrogate,").contains("\"" + CONTROLS + "\"").contains(",Aggregated,");
        assertThat(strictUtf8(Path.of(csv + "_failures.csv"))).contains("failed\nover two lines \uFFFD");
        String report = strictUtf8(html);
        assertThat(report).contains("lone \uFFFD surrogate").contains("</html>");
        for (String line : strictUtf8(telemetry).split("\n")) {
            new ObjectMapper().readTree(line);
        }
        assertThat(strictUtf8(telemetry)).contains("lone ");
    }

    @Test
    void jsonOnStdoutIsWellFormed() throws Exception {
        Jlocust.Result r = Jlocust.run("-f", FILE, "-u", "1", "-t", "2s", "--json", "--exit-code-on-error", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode entries = new ObjectMapper().readTree(r.out());
        List<String> names = new ArrayList<>();
        entries.forEach(e -> names.add(e.get("name").asText()));
        assertThat(names).contains("lone \uFFFD surrogate", CONTROLS, "plain");
    }

    @Test
    void consoleTablesEscapeControlCharacters() {
        Jlocust.Result r = Jlocust.run("-f", FILE, "-u", "1", "-t", "3s", "--exit-code-on-error", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).doesNotContain("\u001b").doesNotContain("\r").doesNotContain("\u0007").doesNotContain("\uD800");
        assertThat(out).contains(CONTROLS_SHOWN).contains("lone \uFFFD surrogate").contains("failed\\nover two lines");
        // every table row of the name is one whole row, the counts after the name
        List<String> rows = out.lines().filter(l -> l.contains("two\\nlines")).toList();
        assertThat(rows).isNotEmpty().allSatisfy(l -> assertThat(l).matches("(custom +)?.*two\\\\nlines.*\\d.*"));
        assertThat(out.lines().filter(l -> l.startsWith("lines"))).isEmpty();
    }

    @Test
    void theFilesKeepTheNamesExact(@TempDir Path dir) throws Exception {
        String csv = dir.resolve("run").toString();
        Jlocust.Result r = Jlocust.run("-f", FILE, "-u", "1", "-t", "2s", "--only-summary", "--exit-code-on-error", "0", "--csv", csv);
        assertThat(r.exitCode()).isZero();
        assertThat(Files.readString(Path.of(csv + "_stats.csv"))).contains("\"" + CONTROLS + "\"");
    }

    /** The file's text; fails when it is not valid UTF-8. */
    static String strictUtf8(Path file) throws Exception {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    }
}
