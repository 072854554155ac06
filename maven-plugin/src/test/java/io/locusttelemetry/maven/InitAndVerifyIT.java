package io.locusttelemetry.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jlocust init} into a temp folder, then {@code ./mvnw -o verify} there, as a new user
 * does: the JUnit test and the plugin's run pass against the demo shop; a threshold that cannot hold
 * fails the build with its line in Maven's output. jlocust's artifacts go into a local repository of
 * the test's own, in front of the machine's (read only), so that no other build sees them.
 */
class InitAndVerifyIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path SHARED_REPO = Path.of(System.getProperty("user.home"), ".m2", "repository");

    record Run(int exitCode, String output) {}

    @Test
    void initThenVerifyPassesAndAnImpossibleThresholdFailsTheBuild(@TempDir Path dir) throws Exception {
        Path project = dir.resolve("shop-load");
        Path repo = dir.resolve("repo");
        Run init = run(ROOT, dir.resolve("init.log"), ROOT.resolve("jlocust").toString(), "init", project.toString(),
                "--maven-repo", repo.toString());
        assertThat(init.exitCode()).as(init.output()).isZero();
        assertThat(init.output()).contains("Installed ").contains("Run it:  cd " + project + " && ./mvnw verify");
        assertThat(project.resolve("src/test/jlocust/ShopUser.java")).exists();
        assertThat(repo.resolve("io/locusttelemetry/jlocust-maven-plugin/0.1.0-SNAPSHOT/jlocust-maven-plugin-0.1.0-SNAPSHOT.jar")).exists();

        Run again = run(ROOT, dir.resolve("init-again.log"), ROOT.resolve("jlocust").toString(), "init", dir.resolve("other").toString(),
                "--maven-repo", repo.toString());
        assertThat(again.output()).as("a second init installs nothing").contains("jlocust's artifacts are already in " + repo);
        Run occupied = run(ROOT, dir.resolve("init-occupied.log"), ROOT.resolve("jlocust").toString(), "init", project.toString(),
                "--maven-repo", repo.toString());
        assertThat(occupied.exitCode()).isEqualTo(2);
        assertThat(occupied.output().strip()).isEqualTo("jlocust init: " + project.resolve("pom.xml") + " exists already; choose an empty folder");

        Run verify = mvn(project, dir.resolve("verify.log"), repo);
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0").contains("jlocust: ShopUser passed")
                .contains("BUILD SUCCESS");
        List<ReportTestSuite> suites = new TestSuiteXmlParser(new NullConsoleLogger())
                .parse(project.resolve("target/jlocust/ShopUser.xml").toString());
        assertThat(suites.get(0).getNumberOfTests()).isEqualTo(3);
        assertThat(suites.get(0).getNumberOfFailures()).isZero();

        Path pom = project.resolve("pom.xml");
        Files.writeString(pom, Files.readString(pom).replace("<threshold>p95&lt;500</threshold>", "<threshold>max&lt;0</threshold>"));
        Run failing = mvn(project, dir.resolve("verify-failing.log"), repo);
        assertThat(failing.exitCode()).as(failing.output()).isNotZero();
        assertThat(failing.output()).contains("BUILD FAILURE").contains("CHECK FAILED: threshold max<0 failed: ")
                .contains("jlocust: ShopUser failed 1 check(s):");
        assertThat(failing.output().lines().filter(l -> l.startsWith("[ERROR]") && l.contains("threshold max<0 failed: ")).count())
                .as("the threshold's line in Maven's error summary").isPositive();
        suites = new TestSuiteXmlParser(new NullConsoleLogger()).parse(project.resolve("target/jlocust/ShopUser.xml").toString());
        assertThat(suites.get(0).getNumberOfFailures()).isEqualTo(1);
    }

    private static Run mvn(Path project, Path log, Path repo) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(project.resolve("mvnw").toString(), "-o", "-B", "verify",
                "-Dmaven.repo.local=" + repo, "-Dmaven.repo.local.tail=" + SHARED_REPO));
        return run(project, log, cmd.toArray(String[]::new));
    }

    private static Run run(Path cwd, Path log, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LOCUST_") || k.startsWith("MAVEN_") || k.equals("JLOCUST_CACHE_DIR"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(8, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not end in 8 minutes:\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
