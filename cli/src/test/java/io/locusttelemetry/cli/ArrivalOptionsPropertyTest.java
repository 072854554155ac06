package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The open model's options with hostile values, on the command line and in the environment: a rate
 * that is 0, negative, not a number or beyond the limit, a --max-users of 0 or beyond it, an unknown
 * distribution. Each is refused before the test starts with one line and exit 2, never a stack
 * trace; values in range run (the run would otherwise end with 0 after its second).
 */
class ArrivalOptionsPropertyTest {
    private static final String FILE = "src/test/resources/locustfiles/Outcomes.java";

    @Test
    void hostileArrivalOptionsAreRefusedWithOneLineAndExit2() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        Set<String> rates = new LinkedHashSet<>(List.of("0", "-0", "-1", "-1e-9", "0.0", "NaN", "-NaN", "Infinity", "-Infinity",
                "1e309", "1000000.5", "1e12", "9223372036854775808", "", " ", "abc", "1,5", "0x10", "5/s", "\u0000", "\u202E100",
                "2 00", "--1"));
        for (int i = 0; i < 6; i++) {
            rates.add(String.valueOf(-rnd.nextDouble() * Math.pow(10, rnd.nextInt(12))));
            rates.add(String.valueOf(1_000_000 + 1 + rnd.nextDouble() * Math.pow(10, rnd.nextInt(15))));
        }
        Set<String> maxUsers = new LinkedHashSet<>(List.of("0", "-0", "-1", "1000001", "2147483648", "-2147483649", "NaN", "1.5",
                "1e3", "", "x", "\u0000"));
        for (int i = 0; i < 4; i++) {
            maxUsers.add(String.valueOf(-rnd.nextInt(Integer.MAX_VALUE)));
            maxUsers.add(String.valueOf(1_000_001L + rnd.nextInt(Integer.MAX_VALUE)));
        }
        Set<String> distributions = new LinkedHashSet<>(List.of("gauss", "poissonx", "uniform,poisson", "\u202Euniform", "\u0000",
                "%s%n", "../poisson"));
        for (int i = 0; i < 4; i++) {
            distributions.add(randomText(rnd));
        }
        int checked = 0;
        for (String v : rates) {
            refused(seed, "--arrival-rate", v, List.of("--max-users", "10"));
            checked++;
        }
        for (String v : maxUsers) {
            refused(seed, "--max-users", v, List.of("--arrival-rate", "10"));
            checked++;
        }
        for (String v : distributions) {
            if (v.isBlank() || List.of("uniform", "poisson").contains(v.trim().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            refused(seed, "--arrival-distribution", v, List.of("--arrival-rate", "10"));
            checked++;
        }
        // the same values from the environment, as a CI job would set them
        for (String v : List.of("0", "-5", "NaN", "1e309", "abc")) {
            check(Jlocust.run(Map.of("LOCUST_ARRIVAL_RATE", v), "-f", FILE, "-t", "1s", "--only-summary", "Passing"), 2,
                    "seed " + seed + ": LOCUST_ARRIVAL_RATE=" + v);
            checked++;
        }
        check(Jlocust.run(Map.of("LOCUST_ARRIVAL_RATE", "10", "LOCUST_MAX_USERS", "0"), "-f", FILE, "-t", "1s", "--only-summary",
                "Passing"), 2, "seed " + seed + ": LOCUST_MAX_USERS=0");
        check(Jlocust.run(Map.of("LOCUST_ARRIVAL_RATE", "10", "LOCUST_ARRIVAL_DISTRIBUTION", "gauss"), "-f", FILE, "-t", "1s",
                "--only-summary", "Passing"), 2, "seed " + seed + ": LOCUST_ARRIVAL_DISTRIBUTION=gauss");
        System.out.printf("%d hostile arrival values refused (seed %d)%n", checked + 2, seed);
    }

    @Test
    void valuesInRangeRun() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        // a random rate and pool, and the limits themselves with -l (the classes are listed, nothing runs)
        String rate = String.valueOf(1 + rnd.nextInt(50) + rnd.nextDouble());
        String max = String.valueOf(1 + rnd.nextInt(20));
        String distribution = rnd.nextBoolean() ? "poisson" : "UNIFORM";
        check(Jlocust.run("-f", FILE, "-t", "1s", "--only-summary", "--arrival-rate", rate, "--max-users", max,
                "--arrival-distribution", distribution, "Passing"), 0, "seed " + seed + ": " + rate + "/s, " + max + " users, " + distribution);
        check(Jlocust.run("-f", FILE, "-l", "--arrival-rate", "1000000", "--max-users", "1000000"), 0, "the limits");
        check(Jlocust.run("-f", FILE, "-l", "--arrival-rate", "0.001", "--max-users", "1"), 0, "the smallest");
    }

    private static void refused(long seed, String flag, String value, List<String> others) {
        List<String> args = new ArrayList<>(List.of("-f", FILE, "-t", "1s", "--only-summary"));
        args.addAll(others);
        args.add(flag + "=" + value);
        args.add("Passing");
        check(Jlocust.run(args.toArray(String[]::new)), 2, "seed " + seed + ": " + flag + " " + printable(value));
    }

    private static void check(Jlocust.Result r, int code, String what) {
        String err = r.err();
        assertThat(err).as(what).doesNotContain("unexpected error").doesNotContain("\tat ").doesNotContain("Exception");
        List<String> lines = err.lines().filter(l -> !l.startsWith("Warning: ")).toList();
        assertThat(r.exitCode()).as(what + ": " + err + r.out()).isEqualTo(code);
        if (code == 0) {
            assertThat(lines).as(what).isEmpty();
        } else {
            assertThat(lines).as(what + ": " + err).hasSize(1);
            // the line names the option it refuses
            String option = what.replaceAll(".*(arrival-rate|max-users|arrival-distribution|ARRIVAL_RATE|MAX_USERS|ARRIVAL_DISTRIBUTION).*",
                    "$1").toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            assertThat(lines.get(0)).as(what).contains("--" + option);
        }
    }

    private static String randomText(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + rnd.nextInt(20);
        for (int i = 0; i < n; i++) {
            sb.append((char) (rnd.nextBoolean() ? 0x21 + rnd.nextInt(0x5e) : 0xa0 + rnd.nextInt(0xd000)));
        }
        return sb.toString();
    }

    private static String printable(String value) {
        StringBuilder sb = new StringBuilder("'");
        value.codePoints().limit(80).forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return sb.append("'").toString();
    }
}
