package io.locusttelemetry.maven;

import io.locusttelemetry.cli.demo.DemoTarget;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Runs each locustfile ({@code *.java}) under {@link #locustfiles} as {@code jlocust -f FILE --headless}
 * in a JVM of its own, with the options of this configuration, and fails the build when a threshold
 * does not hold (jlocust's exit code 3), a request failed (1) or the test could not run (2). The
 * reports go to {@link #reportsDirectory}: {@code NAME.xml} (JUnit XML, one test case per
 * threshold), {@code NAME.html} and {@code NAME.json} (a baseline for {@code compare-to}).
 *
 * <pre>{@code
 * <configuration>
 *   <host>https://staging.example.com</host>
 *   <users>20</users><spawnRate>10</spawnRate><runTime>30s</runTime>
 *   <thresholds><threshold>p95<300</threshold><threshold>fail_ratio<1%</threshold></thresholds>
 *   <options><stop-timeout>5</stop-timeout></options>
 * </configuration>
 * }</pre>
 */
@Mojo(name = "run", defaultPhase = LifecyclePhase.INTEGRATION_TEST, requiresDependencyResolution = ResolutionScope.TEST,
        threadSafe = true)
public class RunMojo extends AbstractMojo {
    /** The folder of the locustfiles; each {@code .java} file directly in it is one test. */
    @Parameter(property = "jlocust.locustfiles", defaultValue = "${project.basedir}/src/test/jlocust")
    File locustfiles;

    /** The base URL of the system under test ({@code -H}); unset: the locustfile's {@code @Host}. */
    @Parameter(property = "jlocust.host")
    String host;

    /** Runs the tests against jlocust's embedded demo shop, started for them (the host is then the shop's). */
    @Parameter(property = "jlocust.demoShop", defaultValue = "false")
    boolean demoShop;

    /** Peak number of users ({@code -u}). */
    @Parameter(property = "jlocust.users", defaultValue = "1")
    int users;

    /** Users started per second ({@code -r}). */
    @Parameter(property = "jlocust.spawnRate", defaultValue = "1")
    String spawnRate;

    /** How long each test runs ({@code -t}): {@code 30s}, {@code 2m}. */
    @Parameter(property = "jlocust.runTime", defaultValue = "30s")
    String runTime;

    /** Thresholds every test must hold ({@code --threshold}): {@code p95<300}, {@code GET /cart: p99<800}. */
    @Parameter
    List<String> thresholds = new ArrayList<>();

    /** One more threshold from the command line: {@code -Djlocust.threshold='p99<500'}. */
    @Parameter(property = "jlocust.threshold")
    String threshold;

    /** Any other option of jlocust by its long name: {@code <stop-timeout>5</stop-timeout>}, {@code <compare-to>runs/last.json</compare-to>}. */
    @Parameter
    Map<String, String> options = new LinkedHashMap<>();

    /** Where the reports go. */
    @Parameter(property = "jlocust.reportsDirectory", defaultValue = "${project.build.directory}/jlocust")
    File reportsDirectory;

    /** Options for the test's JVM, as {@code JLOCUST_JAVA_OPTS}. */
    @Parameter(property = "jlocust.jvmArgs", defaultValue = "-XX:+UseParallelGC")
    String jvmArgs;

    /** Skips the load tests ({@code -Djlocust.skip}); {@code -DskipTests} skips them too. */
    @Parameter(property = "jlocust.skip", defaultValue = "false")
    boolean skip;

    @Parameter(property = "skipTests", defaultValue = "false")
    boolean skipTests;

    @Parameter(defaultValue = "${project.testClasspathElements}", readonly = true, required = true)
    List<String> testClasspath;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip || skipTests) {
            getLog().info("jlocust: load tests skipped");
            return;
        }
        List<Path> files = locustfiles();
        if (files.isEmpty()) {
            getLog().info("jlocust: no locustfile in " + locustfiles + ", nothing to run");
            return;
        }
        List<String> failures = new ArrayList<>();
        DemoTarget shop = null;
        try {
            Files.createDirectories(reportsDirectory.toPath());
            if (demoShop) {
                shop = DemoTarget.start();
                getLog().info("jlocust: demo shop at " + shop.url());
            }
            for (Path file : files) {
                failures.addAll(run(file, shop == null ? host : shop.url()));
            }
        } catch (IOException e) {
            throw new MojoExecutionException("jlocust: " + e.getMessage(), e);
        } finally {
            if (shop != null) {
                shop.close();
            }
        }
        if (!failures.isEmpty()) {
            throw new MojoFailureException("jlocust: " + String.join("\n", failures));
        }
    }

    private List<Path> locustfiles() throws MojoExecutionException {
        if (!locustfiles.isDirectory()) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(locustfiles.toPath())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".java") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new MojoExecutionException("jlocust: cannot list " + locustfiles + ": " + e.getMessage(), e);
        }
    }

    /** @return the lines that make this test fail the build (empty when it passed) */
    private List<String> run(Path file, String url) throws IOException, MojoExecutionException {
        String name = file.getFileName().toString().replaceFirst("\\.java$", "");
        List<String> command = command(file, name, url);
        getLog().info("jlocust: " + name + ": jlocust " + String.join(" ", command.subList(command.indexOf(MAIN) + 1, command.size())
                .stream().map(RunMojo::quoted).toList()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("LOCUST_"));
        pb.environment().put("JLOCUST_CACHE_DIR", reportsDirectory.toPath().resolve("cache").toString());
        Process process = pb.start();
        List<String> checkFailures = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                int at = line.indexOf(CHECK_FAILED);
                if (at >= 0) {
                    checkFailures.add(line.substring(at + CHECK_FAILED.length()));
                    getLog().error(line);
                } else {
                    getLog().info(line);
                }
            }
        }
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("jlocust: interrupted", e);
        }
        List<String> failures = new ArrayList<>();
        switch (code) {
            case 0 -> getLog().info("jlocust: " + name + " passed");
            case 3 -> {
                failures.add(name + " failed " + checkFailures.size() + " check(s):");
                checkFailures.forEach(f -> failures.add("  " + f));
            }
            case 2 -> throw new MojoExecutionException("jlocust: " + name + " could not run (exit code 2, see the lines above)");
            default -> failures.add(name + " ended with exit code " + code + (code == 1 ? " (a request failed or a user raised)" : ""));
        }
        return failures;
    }

    /** An argument as a shell would need it written, for the line that says what runs. */
    static String quoted(String arg) {
        return arg.matches("[A-Za-z0-9_./:=@%+,-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }

    private static final String MAIN = "io.locusttelemetry.cli.Main";
    private static final String CHECK_FAILED = "CHECK FAILED: ";

    private List<String> command(Path file, String name, String url) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // as the launcher: HTTPS through BoringSSL, loaded without the JDK's native-access warning
        cmd.add("--enable-native-access=ALL-UNNAMED");
        for (String a : jvmArgs.trim().split("\\s+")) {
            if (!a.isEmpty()) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(MAIN);
        cmd.addAll(List.of("-f", file.toString(), "--headless", "--only-summary", "-u", String.valueOf(users), "-r", spawnRate,
                "-t", runTime));
        if (url != null && !url.isBlank()) {
            cmd.addAll(List.of("-H", url));
        }
        List<String> all = new ArrayList<>(thresholds == null ? List.of() : thresholds);
        if (threshold != null && !threshold.isBlank()) {
            all.add(threshold);
        }
        for (String t : all) {
            cmd.addAll(List.of("--threshold", t.trim()));
        }
        Path reports = reportsDirectory.toPath();
        Map<String, String> o = new LinkedHashMap<>();
        o.put("junit-xml", reports.resolve(name + ".xml").toString());
        o.put("html", reports.resolve(name + ".html").toString());
        o.put("json-file", reports.resolve(name + ".json").toString());
        if (options != null) {
            o.putAll(options);
        }
        o.forEach((k, v) -> {
            cmd.add("--" + k.replaceFirst("^-+", ""));
            if (v != null && !v.equals("true")) {
                cmd.add(v);
            }
        });
        return cmd;
    }

    /** The project's test classpath (a locustfile may use the project's classes), then jlocust's. */
    private String classpath() {
        List<String> parts = new ArrayList<>(testClasspath);
        for (Artifact a : plugin.getArtifacts()) {
            if (a.getFile() != null && !a.getScope().equals(Artifact.SCOPE_PROVIDED)) {
                parts.add(a.getFile().getPath());
            }
        }
        return String.join(File.pathSeparator, parts);
    }
}
