package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.testing.DelayTarget;
import io.locusttelemetry.testing.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The targets of the stop tests ({@code StopMix.java}, {@code StopShape.java}): nginx for the fast
 * requests, a {@link DelayTarget} for the slow ones, so that requests are in flight at every stop.
 * What they served is what nginx logged plus what the delay target read.
 */
final class StopTargets implements AutoCloseable {
    /** Where the locustfiles read the delay target's URL in this JVM. */
    static final String PROPERTY = "jlocust.test.slow";
    static final String MIX = "src/test/resources/locustfiles/StopMix.java";
    static final String SHAPE = "src/test/resources/locustfiles/StopShape.java";

    final Nginx nginx;
    final DelayTarget slow;

    private StopTargets(Nginx nginx, DelayTarget slow) {
        this.nginx = nginx;
        this.slow = slow;
    }

    /** Starts both and points this JVM's locustfiles at the delay target. */
    static StopTargets start(Path dir) throws Exception {
        Nginx nginx = Nginx.start(dir.resolve("nginx"));
        DelayTarget slow = DelayTarget.start();
        System.setProperty(PROPERTY, slow.url());
        return new StopTargets(nginx, slow);
    }

    /** The JVM option that points a jlocust process at the delay target. */
    String jvmOption() {
        return "-D" + PROPERTY + "=" + slow.url();
    }

    /** Requests both served, once every connection is closed and nginx's log stands still. */
    long served() throws Exception {
        long delayed = slow.awaitIdle(Duration.ofSeconds(30));
        long logged = nginx.loggedRequests();
        for (int i = 0; i < 50; i++) {
            Thread.sleep(100);
            long again = nginx.loggedRequests();
            if (again == logged) {
                break;
            }
            logged = again;
        }
        return logged + delayed;
    }

    /**
     * Asserts that the run whose CSV reports start with {@code csvPrefix} counted exactly what the
     * targets served; returns how many requests of it the stop cut.
     */
    long assertCountedAllServed(String label, String csvPrefix, String output) throws Exception {
        long served = served();
        long counted = count(Path.of(csvPrefix + "_stats.csv"), ",Aggregated,");
        long cut = cut(Path.of(csvPrefix + "_failures.csv"));
        System.out.printf("%s: counted %d (%d cut by the stop), served %d (nginx %d, delay target %d)%n", label, counted, cut,
                served, nginx.loggedRequests(), slow.served());
        assertThat(counted).as(label + ": requests made").isGreaterThan(10);
        assertThat(counted).as(label + ": counted == served; output:\n" + output).isEqualTo(served);
        return cut;
    }

    private static long count(Path stats, String rowStart) throws Exception {
        String row = Files.readAllLines(stats).stream().filter(l -> l.contains(rowStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + rowStart + " row in " + stats));
        return Long.parseLong(row.split(",")[2].replace("\"", ""));
    }

    /** Occurrences of the failure "interrupted by stop". */
    static long cut(Path failures) throws Exception {
        long n = 0;
        List<String> lines = Files.readAllLines(failures);
        for (String line : lines.subList(1, lines.size())) {
            if (line.contains("interrupted by stop")) {
                String[] cols = line.split(",");
                n += Long.parseLong(cols[cols.length - 1].replace("\"", ""));
            }
        }
        return n;
    }

    @Override
    public void close() throws Exception {
        System.clearProperty(PROPERTY);
        try (nginx; slow) {
            // both closed
        }
    }
}
