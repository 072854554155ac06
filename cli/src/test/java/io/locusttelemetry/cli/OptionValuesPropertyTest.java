package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.locusttelemetry.cli.internal.CoreOptions;
import io.locusttelemetry.cli.internal.DistributedOptions;
import io.locusttelemetry.cli.internal.OptionRegistry;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.testing.Ports;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every option of the registry (core, distributed, telemetry plugins) gets random and hostile
 * values: the command either accepts the value or refuses it with one line and exit 2 (1 for a
 * locustfile that is not found), never a stack trace or an "unexpected error".
 */
class OptionValuesPropertyTest {
    private static final String FILE = "src/test/resources/locustfiles/Outcomes.java";
    private static final String[] HOSTILE = {"", " ", "\n", "\u0000", "x\ny", "\t", "-1", "0", "1", "65535", "65536", "99999",
        "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e309", "-0", "NaN", "Infinity", "-Infinity", "0x10", "1.5",
        "1,5", "true", "false", "yes", "--", "-", "=", "%s%n", "${env:HOME}", "\u202Eevil", "\uD800", "\u001b[2J", "\u00e9\u4e2d",
        "http://user:pw@host:1/", "https://", "http://[::1", "../x", "/dev/null", "/proc/self/fd/999", "a,b,,c",
        "*", "localhost", "[::1]", "999h", "1h30m", "-5s", "5x", "json", "json,otel,nope", "DEBUG", "grpc", "http/protobuf"};

    @TempDir
    Path dir;

    @AfterEach
    void resetLogging() throws Exception {
        // --logfile and --loglevel change this JVM's logging; later tests expect the defaults
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        new ContextInitializer(ctx).autoConfig();
    }

    @Test
    void everyOptionTakesHostileValuesWithOneLineOrSuccess() throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int runs = 0;
        for (OptionSpec option : registry()) {
            String flag = longFlag(option);
            for (String raw : values(option, rnd)) {
                String value = inDir(flag, raw);
                if (isExistingDirectory(value) && (flag.equals("--locustfile") || flag.equals("--config"))) {
                    continue; // a folder of .java files is a locustfile: "/" would be the whole disk
                }
                List<String> args = new ArrayList<>();
                if (!flag.equals("--locustfile")) {
                    args.addAll(List.of("-f", FILE));
                }
                // -l keeps most runs to listing the classes; a value that turns listing off (--list=false,
                // --show-task-ratio=false) starts a real test, which -t and -u keep short
                args.addAll(List.of("-l", "-t", "1s", "-u", "1", "--enable-telemetry-recorder", "json,otel", "--testplan", "props",
                        "--lt-json-output", dir.resolve("t.jsonl").toString()));
                if (option.type() == Boolean.class) {
                    args.add(flag + "=" + value);
                } else if (rnd.nextBoolean()) {
                    args.addAll(List.of(flag, value));
                } else {
                    args.add(flag + "=" + value);
                }
                // the class that passes: a run that does start ends with exit 0 unless the value is refused
                args.add("Passing");
                check(Jlocust.run(args.toArray(new String[0])), "seed " + seed + ": " + flag + " " + printable(value));
                runs++;
            }
        }
        System.out.printf("%d option values checked (seed %d)%n", runs, seed);
    }

    /** The values that only matter once the test starts (bind, listen, export, record): real, short runs. */
    @Test
    void valuesUsedAtStartAreCheckedAsWell() throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        String[] start = {"--master-bind-host", "--lt-otel-prometheus-host", "--lt-otel-exporter-otlp-endpoint",
            "--lt-otel-exporter-otlp-headers", "--lt-json-output", "--testplan", "--run-id", "--host"};
        for (String flag : start) {
            // one run each (a run takes a second): a hostile value or a random text, by the seed
            for (String raw : List.of(rnd.nextBoolean() ? HOSTILE[rnd.nextInt(HOSTILE.length)] : randomText(rnd))) {
                String value = inDir(flag, raw);
                List<String> args = new ArrayList<>(List.of("-f", FILE, "-u", "1", "-t", "1s", "--only-summary", "--testplan", "props"));
                if (flag.startsWith("--lt-otel")) {
                    args.addAll(List.of("--enable-telemetry-recorder", "otel", "--lt-otel-prometheus-port", String.valueOf(Ports.free()),
                            "--lt-otel-exporter-otlp-endpoint", "http://127.0.0.1:" + Ports.free()));
                } else {
                    args.addAll(List.of("--enable-telemetry-recorder", "json", "--lt-json-output", dir.resolve("t.jsonl").toString()));
                }
                if (flag.equals("--master-bind-host")) {
                    args.addAll(List.of("--master", "--master-bind-port", "0", "--expect-workers-max-wait", "1"));
                }
                args.addAll(List.of(flag + "=" + value, "Passing"));
                check(Jlocust.run(args.toArray(new String[0])), "seed " + seed + ": " + flag + " " + printable(value));
            }
        }
    }

    /**
     * The file name of an output option, put three folders deep into the test's folder (so that
     * {@code ../x} stays in it too): the test writes nothing elsewhere, only to {@code /dev/null}.
     */
    private String inDir(String flag, String value) throws Exception {
        if (!OUTPUT_FILES.contains(flag) || value.equals("/dev/null") || value.equals("/proc/self/fd/999")) {
            return value;
        }
        return Files.createDirectories(dir.resolve("a/b/c")) + "/" + value;
    }

    private static final Set<String> OUTPUT_FILES = Set.of("--logfile", "--lt-json-output", "--csv", "--html");

    private static void check(Jlocust.Result r, String what) {
        String err = r.err();
        assertThat(err).as(what).doesNotContain("unexpected error").doesNotContain("\tat ").doesNotContain("Exception:");
        List<String> lines = err.lines().filter(l -> !l.startsWith("Warning: ")).toList();
        if (r.exitCode() == 0) {
            assertThat(lines).as(what).isEmpty();
        } else {
            assertThat(r.exitCode()).as(what + ": " + err).isIn(1, 2);
            assertThat(lines).as(what + ": " + err).hasSize(1);
        }
    }

    static List<OptionSpec> registry() {
        OptionRegistry registry = new OptionRegistry();
        CoreOptions.register(registry);
        DistributedOptions.register(registry);
        Environment env = Environment.builder().build();
        TelemetryWiring.load(env, OptionValuesPropertyTest.class.getClassLoader(), List.of());
        env.events().initCommandLineParser.fire(registry);
        List<OptionSpec> all = registry.all();
        assertThat(all).hasSizeGreaterThan(40);
        return all;
    }

    private static String longFlag(OptionSpec o) {
        return "--" + OptionRegistry.configKey(o);
    }

    /** Edge values of the option's type and range, a dozen hostile ones, a few random texts. */
    private Set<String> values(OptionSpec o, Random rnd) throws Exception {
        Set<String> out = new LinkedHashSet<>();
        if (o.range() != null) {
            for (long v : new long[] {o.range().min() - 1, o.range().min(), o.range().max(), o.range().max() + 1}) {
                out.add(String.valueOf(v));
            }
        }
        for (int i = 0; i < 12; i++) {
            out.add(HOSTILE[rnd.nextInt(HOSTILE.length)]);
        }
        for (int i = 0; i < 3; i++) {
            out.add(randomText(rnd));
        }
        out.add(Files.writeString(dir.resolve("plain-file"), "x").resolve("under-a-file").toString());
        out.add(dir.resolve("missing/x").toString());
        return out;
    }

    private static String randomText(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(rnd.nextInt(10) == 0 ? 5000 : 20);
        for (int i = 0; i < n; i++) {
            sb.append((char) (rnd.nextBoolean() ? 0x20 + rnd.nextInt(0x5f) : rnd.nextInt(0x10000)));
        }
        return sb.toString();
    }

    private static boolean isExistingDirectory(String value) {
        try {
            return Files.isDirectory(Path.of(value.trim().isEmpty() ? "." : value.trim()));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String printable(String value) {
        StringBuilder sb = new StringBuilder("'");
        value.codePoints().limit(80).forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return sb.append(value.length() > 80 ? "...'" : "'").toString();
    }
}
