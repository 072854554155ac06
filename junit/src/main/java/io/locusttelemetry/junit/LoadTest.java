package io.locusttelemetry.junit;

import io.locusttelemetry.cli.LocalTest;
import io.locusttelemetry.engine.User;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A load test run from a test method, in the test's own JVM: the same engine, options, thresholds
 * and reports as {@code jlocust}, without {@code System.exit} and without state left behind, so a
 * JVM may run many (also at the same time).
 *
 * <pre>{@code
 * @Test void checkoutHoldsItsSlo() {
 *     LoadTestResult r = LoadTest.of(Checkout.class).host(url).users(50).spawnRate(10)
 *             .runTime(Duration.ofSeconds(30)).threshold("p95<300").threshold("GET /cart: p99<800").run();
 *     assertThat(r.thresholdsPassed()).as(r.summary()).isTrue();
 * }
 * }</pre>
 *
 * Unless set, a test runs 1 user (spawned at once) for 30 seconds against the users' own
 * {@code @Host}, and prints only the final tables. Any other option of the command is
 * {@link #option(String, String)}. The builder may be run several times; each run is a new test.
 */
public final class LoadTest {
    /** How long a test runs when {@link #runTime} is not set. */
    public static final Duration DEFAULT_RUN_TIME = Duration.ofSeconds(30);

    private final List<Class<? extends User>> userClasses;
    private final String locustfile;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> thresholds = new ArrayList<>();
    private PrintStream out = System.out;

    private LoadTest(List<Class<? extends User>> userClasses, String locustfile) {
        this.userClasses = List.copyOf(userClasses);
        this.locustfile = locustfile;
        options.put("run-time", DEFAULT_RUN_TIME.toSeconds() + "s");
        options.put("only-summary", "true");
    }

    /** A test of these user classes (their {@code @Weight}, {@code @FixedCount}, {@code @Host} and {@code @Threshold} apply). */
    @SafeVarargs
    public static LoadTest of(Class<? extends User>... userClasses) {
        if (userClasses.length == 0) {
            throw new IllegalArgumentException("give at least one user class");
        }
        return new LoadTest(List.of(userClasses), null);
    }

    /** A test of a locustfile: a {@code .java} file (compiled on the fly), a folder of them or a jar, as {@code jlocust -f}. */
    public static LoadTest locustfile(Path locustfile) {
        return new LoadTest(List.of(), Objects.requireNonNull(locustfile, "locustfile").toString());
    }

    /** The base URL of the system under test ({@code -H}); it overrides the users' {@code @Host}. */
    public LoadTest host(String url) {
        return option("host", url);
    }

    /** Peak number of users ({@code -u}). */
    public LoadTest users(int users) {
        return option("users", String.valueOf(users));
    }

    /** Users started per second ({@code -r}). */
    public LoadTest spawnRate(double perSecond) {
        return option("spawn-rate", number(perSecond));
    }

    /** How long the test runs ({@code -t}), whole seconds. */
    public LoadTest runTime(Duration runTime) {
        long seconds = Math.max(1, (runTime.toMillis() + 999) / 1000);
        return option("run-time", seconds + "s");
    }

    /**
     * A threshold the test must hold: {@code p95<300}, {@code GET /cart: p99<800}, {@code fail_ratio<1%},
     * {@code p99<800 abort-on-fail delay=10s} (the syntax of {@code --threshold}).
     *
     * @throws IllegalArgumentException naming the column of a syntax error:
     *                                  {@code threshold 'p95<': expected a number at column 5}
     */
    public LoadTest threshold(String... expressions) {
        for (String e : expressions) {
            LocalTest.builder().threshold(e); // checked now, where the caller wrote it
            thresholds.add(e);
        }
        return this;
    }

    /** Only the tasks with one of these tags ({@code -T}). */
    public LoadTest tags(String... tags) {
        return option("tags", String.join(",", tags));
    }

    /** Not the tasks with one of these tags ({@code -E}). */
    public LoadTest excludeTags(String... tags) {
        return option("exclude-tags", String.join(",", tags));
    }

    /** Writes the HTML report to {@code file} at the end ({@code --html}). */
    public LoadTest html(Path file) {
        return option("html", file.toString());
    }

    /** Writes the JUnit XML report to {@code file} at the end ({@code --junit-xml}). */
    public LoadTest junitXml(Path file) {
        return option("junit-xml", file.toString());
    }

    /** Writes the final statistics as JSON to {@code file} ({@code --json-file}): a baseline for {@link #compareTo}. */
    public LoadTest jsonFile(Path file) {
        return option("json-file", file.toString());
    }

    /** Compares the run with a baseline written by {@link #jsonFile} ({@code --compare-to}). */
    public LoadTest compareTo(Path baseline) {
        return option("compare-to", baseline.toString());
    }

    /** With {@link #compareTo}: a percentile or the failure ratio worse by more than {@code percent} fails ({@code --max-regression}). */
    public LoadTest maxRegression(double percent) {
        return option("max-regression", number(percent) + "%");
    }

    /** Prints the statistics table every 2 seconds too, not only at the end. */
    public LoadTest printStats(boolean everyTwoSeconds) {
        return option("only-summary", String.valueOf(!everyTwoSeconds));
    }

    /** Where the tables go (default {@code System.out}). */
    public LoadTest out(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    /**
     * Any option of the command by its long name without dashes, as in locust.conf:
     * {@code option("stop-timeout", "5")}, {@code option("enable-telemetry-recorder", "json")}.
     */
    public LoadTest option(String name, String value) {
        options.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Runs the test to its end (the run time, or an abort-on-fail threshold).
     *
     * @throws IllegalArgumentException one line, for what the command reports as a usage error (a bad
     *                                  option value, a locustfile that does not compile, a user class without tasks)
     */
    public LoadTestResult run() {
        LocalTest.Builder b = LocalTest.builder().out(out);
        if (locustfile != null) {
            b.locustfile(locustfile);
        } else {
            b.userClasses(userClasses);
        }
        options.forEach(b::option);
        thresholds.forEach(b::threshold);
        return new LoadTestResult(b.build().run());
    }

    private static String number(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
