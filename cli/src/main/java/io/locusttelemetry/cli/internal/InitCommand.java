package io.locusttelemetry.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code jlocust init [DIR] [--maven-repo REPO]}: writes a Maven project with a locustfile in
 * {@code src/test/jlocust}, a JUnit test using {@code LoadTest} and {@code jlocust-maven-plugin}
 * configured, against the embedded demo shop, and installs into the local Maven repository
 * whichever of jlocust's artifacts it lacks (or holds in another build), so that {@code mvn -o verify}
 * passes in the new project at once.
 */
public final class InitCommand {
    /** jlocust's artifacts a generated project needs: folder in the checkout, artifactId, whether it is a jar. */
    record Module(String folder, String artifactId, boolean jar) {}

    static final List<Module> MODULES = List.of(new Module(".", "locust-telemetry-java", false),
            new Module("engine", "engine", true), new Module("protocol", "protocol", true), new Module("telemetry", "telemetry", true),
            new Module("telemetry-json", "telemetry-json", true), new Module("telemetry-otel", "telemetry-otel", true),
            new Module("cluster", "cluster", true), new Module("web", "web", true), new Module("http2", "http2", true), new Module("cli", "cli", true),
            new Module("junit", "jlocust-junit", true), new Module("maven-plugin", "jlocust-maven-plugin", true));
    static final String GROUP = "io/locusttelemetry";
    private static final String TEMPLATES = "/io/locusttelemetry/cli/init/";

    private InitCommand() {}

    /** Runs the command; {@code env} gives {@code JLOCUST_HOME} (the checkout, set by the script) and {@code HOME}. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            Path repo = null;
            List<String> folders = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    out.println("Usage: jlocust init [DIR] [--maven-repo REPO]\n\n"
                            + "Writes a Maven project with load tests into DIR (default jlocust-load-tests) and installs jlocust's\n"
                            + "artifacts into the local Maven repository REPO (default ~/.m2/repository) where they are missing.");
                    return 0;
                } else if (a.equals("--maven-repo")) {
                    if (i + 1 >= args.length) {
                        throw new CliException("jlocust init: --maven-repo needs a folder", 2);
                    }
                    repo = Path.of(args[++i]);
                } else if (a.startsWith("-")) {
                    throw new CliException("jlocust init: unknown option '" + Text.escapeControl(a) + "' (see jlocust init --help)", 2);
                } else {
                    folders.add(a);
                }
            }
            if (folders.size() > 1) {
                throw new CliException("jlocust init: one folder at most, got " + folders.size(), 2);
            }
            Path dir = Path.of(folders.isEmpty() ? "jlocust-load-tests" : folders.get(0));
            if (repo == null) {
                repo = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".m2", "repository");
            }
            String home = env.get("JLOCUST_HOME");
            if (home == null || home.isBlank()) {
                throw new CliException("jlocust init installs jlocust's artifacts from its checkout: run it as ./jlocust init", 2);
            }
            Properties versions = versions();
            refuseExisting(dir);
            int installed = install(Path.of(home), repo, versions.getProperty("jlocust"));
            out.println(installed == 0 ? "jlocust's artifacts are already in " + repo
                    : "Installed " + installed + " of jlocust's artifact files into " + repo);
            generate(dir, versions);
            wrapper(Path.of(home), dir);
            out.println("Wrote a Maven project into " + dir + ": src/test/jlocust/ShopUser.java, "
                    + "src/test/java/com/example/ShopLoadTest.java, pom.xml, README.md, mvnw");
            out.println("Run it:  cd " + dir + " && ./mvnw verify");
            return 0;
        } catch (CliException e) {
            err.println(e.printable());
            return e.exitCode();
        } catch (IOException e) {
            err.println("jlocust init: " + Text.escapeControl(String.valueOf(e.getMessage())));
            return 2;
        }
    }

    /**
     * Copies each module's pom and jar from {@code checkout} into {@code repo}'s layout where the
     * repository lacks it or holds other bytes.
     *
     * @return how many files it copied
     */
    static int install(Path checkout, Path repo, String version) throws IOException {
        int copied = 0;
        for (Module m : MODULES) {
            Path folder = checkout.resolve(m.folder()).normalize();
            Path target = repo.resolve(GROUP).resolve(m.artifactId()).resolve(version);
            String base = m.artifactId() + "-" + version;
            Path pom = folder.resolve("pom.xml");
            if (!Files.isRegularFile(pom)) {
                throw new CliException("jlocust init: " + pom + " is missing: is " + checkout + " a jlocust checkout?", 2);
            }
            copied += copyIfDifferent(pom, target.resolve(base + ".pom"));
            if (m.jar()) {
                Path jar = folder.resolve("target").resolve(base + ".jar");
                if (!Files.isRegularFile(jar)) {
                    throw new CliException("jlocust init: " + jar + " is missing: build it with ./jlocust --version first", 2);
                }
                copied += copyIfDifferent(jar, target.resolve(base + ".jar"));
                for (String classifier : List.of("sources", "javadoc")) { // what an IDE shows beside the code, when built
                    Path extra = folder.resolve("target").resolve(base + "-" + classifier + ".jar");
                    if (Files.isRegularFile(extra)) {
                        copied += copyIfDifferent(extra, target.resolve(base + "-" + classifier + ".jar"));
                    }
                }
            }
        }
        return copied;
    }

    private static int copyIfDifferent(Path from, Path to) throws IOException {
        if (Files.isRegularFile(to) && Files.mismatch(from, to) == -1) {
            return 0;
        }
        Files.createDirectories(to.getParent());
        Path tmp = Files.createTempFile(to.getParent(), to.getFileName().toString(), ".part");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return 1;
    }

    /** The Maven Wrapper of jlocust's checkout: the project builds with the Maven that built jlocust, already downloaded. */
    static void wrapper(Path checkout, Path dir) throws IOException {
        Path props = Path.of(".mvn", "wrapper", "maven-wrapper.properties");
        if (!Files.isRegularFile(checkout.resolve("mvnw")) || !Files.isRegularFile(checkout.resolve(props))) {
            return; // a checkout without the wrapper: the project builds with mvn
        }
        Files.createDirectories(dir.resolve(props).getParent());
        Files.copy(checkout.resolve(props), dir.resolve(props), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(checkout.resolve("mvnw"), dir.resolve("mvnw"), StandardCopyOption.REPLACE_EXISTING);
        dir.resolve("mvnw").toFile().setExecutable(true);
    }

    /** The project's files and their templates. */
    static final Map<String, String> FILES = Map.of("pom.xml", "pom.xml.template", "README.md", "README.md.template",
            "src/test/jlocust/ShopUser.java", "ShopUser.java.template",
            "src/test/java/com/example/ShopLoadTest.java", "ShopLoadTest.java.template");

    private static void refuseExisting(Path dir) {
        for (String f : List.of("pom.xml", "README.md", "src/test/jlocust/ShopUser.java", "src/test/java/com/example/ShopLoadTest.java")) {
            if (Files.exists(dir.resolve(f))) {
                throw new CliException("jlocust init: " + dir.resolve(f) + " exists already; choose an empty folder", 2);
            }
        }
    }

    /** Writes the project; refuses to overwrite a file that is there. */
    static void generate(Path dir, Properties versions) throws IOException {
        String artifact = dir.toAbsolutePath().normalize().getFileName().toString().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9._-]", "-");
        if (artifact.isEmpty() || !Character.isLetterOrDigit(artifact.charAt(0))) {
            artifact = "load-tests";
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("@ARTIFACT@", artifact);
        values.put("@JLOCUST_VERSION@", versions.getProperty("jlocust"));
        values.put("@JUNIT_VERSION@", versions.getProperty("junit"));
        values.put("@SUREFIRE_VERSION@", versions.getProperty("surefire"));
        values.put("@COMPILER_VERSION@", versions.getProperty("compiler"));
        values.put("@RESOURCES_VERSION@", versions.getProperty("resources"));
        values.put("@JAR_VERSION@", versions.getProperty("jar"));
        refuseExisting(dir);
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            String text = template(f.getValue());
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace(v.getKey(), v.getValue());
            }
            Path target = dir.resolve(f.getKey());
            Files.createDirectories(target.getParent() == null ? dir : target.getParent());
            try {
                Files.writeString(target, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
            } catch (FileAlreadyExistsException e) {
                throw new CliException("jlocust init: " + target + " exists already; choose an empty folder", 2);
            }
        }
    }

    static Properties versions() throws IOException {
        Properties p = new Properties();
        try (InputStream in = InitCommand.class.getResourceAsStream(TEMPLATES + "versions.properties")) {
            if (in == null) {
                throw new IOException("the templates are missing from this build");
            }
            p.load(in);
        }
        return p;
    }

    private static String template(String name) throws IOException {
        try (InputStream in = InitCommand.class.getResourceAsStream(TEMPLATES + name)) {
            if (in == null) {
                throw new IOException("template " + name + " is missing from this build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
