package io.locusttelemetry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the jlocust command in this JVM and captures what it prints. Headless unless the test's
 * environment says otherwise ({@code LOCUST_HEADLESS}), as every script that runs it unattended is.
 */
final class Jlocust {
    record Result(int exitCode, String out, String err) {}

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Map<String, String> environment = new HashMap<>(env);
            environment.putIfAbsent("LOCUST_HEADLESS", "true");
            int code = new Main(o, e, environment, false).run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    private Jlocust() {}
}
