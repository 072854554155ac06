package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.locusttelemetry.cli.internal.ArgumentParser;
import io.locusttelemetry.cli.internal.CliException;
import io.locusttelemetry.cli.internal.ConfigFile;
import io.locusttelemetry.cli.internal.CoreOptions;
import io.locusttelemetry.cli.internal.DistributedOptions;
import io.locusttelemetry.cli.internal.OptionRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** locust.conf: unknown keys and lines that are no setting are named with file and line; hostile files never break the reader. */
class ConfigFileTest {
    private static final String FILE = "src/test/resources/locustfiles/Outcomes.java";

    @Test
    void unknownKeysAndGarbageLinesAreWarnedAboutWithFileAndLine(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("locust.conf"), """
                # a comment
                [locust]
                usres = 50
                spawn-rate = 5
                = 3
                \u0001\u0002binary
                headless
                run_time: 1m ; the run time
                """);
        Jlocust.Result r = Jlocust.run("--config", conf.toString(), "-f", FILE, "-l");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> warnings = r.err().lines().toList();
        assertThat(warnings).containsExactly(
                "Warning: " + conf + ":3: unknown option 'usres', ignored (see jlocust --help for the options)",
                "Warning: " + conf + ":5: not a 'key = value' line, ignored: '= 3'",
                "Warning: " + conf + ":6: not a 'key = value' line, ignored: '\\x01\\x02binary'");
        ConfigFile read = ConfigFile.read(conf);
        assertThat(read.values()).containsEntry("spawn-rate", "5").containsEntry("headless", "true").containsEntry("run-time", "1m")
                .containsEntry("usres", "50");
    }

    @Test
    void keyValueSeparatedByASpaceIsASetting(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("locust.conf"), "users 7\n");
        assertThat(ConfigFile.read(conf).values()).containsEntry("users", "7");
        assertThat(ConfigFile.read(conf).warnings(registry().all())).isEmpty();
    }

    @Test
    void manyBadLinesGiveABoundedNumberOfWarnings(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("locust.conf"), "nope = 1\n".repeat(500));
        List<String> warnings = ConfigFile.read(conf).warnings(registry().all());
        assertThat(warnings).hasSize(21);
        assertThat(warnings.get(20)).isEqualTo("... and 480 more lines of the config file ignored");
    }

    /** Hostile files: binary, huge lines, only separators, unicode, comments, sections; never more than one line per warning. */
    @Test
    void hostileFilesOnlyGiveWarningsOrOneLineErrors(@TempDir Path dir) throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        OptionRegistry registry = registry();
        for (int i = 0; i < 400; i++) {
            byte[] content = hostile(rnd, i);
            Path conf = dir.resolve("conf-" + i);
            Files.write(conf, content);
            try {
                ConfigFile file = ConfigFile.read(conf);
                for (String w : file.warnings(registry.all())) {
                    assertThat(w).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u001b").hasSizeLessThan(400);
                }
                for (String key : file.values().keySet()) {
                    assertThat(key).isNotEmpty().doesNotContainAnyWhitespaces().doesNotContain("=");
                }
                try {
                    new ArgumentParser(registry, Map.of()).parse(new String[0], file.values());
                } catch (CliException e) {
                    assertThat(e.printable()).doesNotContain("\n");
                }
            } catch (CliException e) {
                assertThat(e.printable()).doesNotContain("\n");
            } catch (Throwable t) {
                fail("seed " + seed + ", file " + i + " (" + new String(content, StandardCharsets.ISO_8859_1) + ") threw " + t, t);
            }
        }
    }

    @Test
    void hostileFilesThroughTheCommand(@TempDir Path dir) throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int i = 0; i < 25; i++) {
            Path conf = Files.write(dir.resolve("conf-" + i), hostile(rnd, i));
            Jlocust.Result r = Jlocust.run("--config", conf.toString(), "-f", FILE, "-l");
            assertThat(r.exitCode()).as("seed " + seed + " file " + i + ": " + r.err()).isIn(0, 2);
            assertThat(r.err()).as("seed " + seed).doesNotContain("unexpected error").doesNotContain("\tat ");
            long errors = r.err().lines().filter(l -> !l.startsWith("Warning: ")).count();
            assertThat(errors).as("seed " + seed + ": " + r.err()).isLessThanOrEqualTo(r.exitCode() == 0 ? 0 : 1);
        }
    }

    static OptionRegistry registry() {
        OptionRegistry registry = new OptionRegistry();
        CoreOptions.register(registry);
        DistributedOptions.register(registry);
        return registry;
    }

    private static final String[] PIECES = {"=", ":", " = ", "users", "spawn-rate", "run-time", "headless", "host", "[section]",
        "# comment", "; comment", "\"", "'", "\t", "\u00e9\u4e2d\u0394", "\uD83D\uDE00", "\u202E", "\u0000", "\u001b[2J", "\\",
        "999999999999999999999", "-1", "NaN", "true", "yes", "1h2m3s", "http://user:pw@host", "--", "${HOME}", "%s"};

    private static byte[] hostile(Random rnd, int i) {
        switch (i % 5) {
            case 0 -> { // binary
                byte[] b = new byte[rnd.nextInt(2048)];
                rnd.nextBytes(b);
                return b;
            }
            case 1 -> { // one huge line
                return ("users = " + "9".repeat(rnd.nextInt(200_000))).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                StringBuilder sb = new StringBuilder();
                int lines = rnd.nextInt(40);
                for (int l = 0; l < lines; l++) {
                    int parts = rnd.nextInt(6);
                    for (int p = 0; p < parts; p++) {
                        sb.append(PIECES[rnd.nextInt(PIECES.length)]);
                    }
                    sb.append(rnd.nextInt(4) == 0 ? "\r\n" : "\n");
                }
                return sb.toString().getBytes(rnd.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.UTF_16);
            }
        }
    }
}
