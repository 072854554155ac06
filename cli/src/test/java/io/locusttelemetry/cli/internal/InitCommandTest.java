package io.locusttelemetry.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jlocust init's mistakes are one line and exit 2 before anything is written; what it writes and installs. */
class InitCommandTest {
    record Out(int code, String out, String err) {}

    static Out init(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = InitCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void mistakesAreOneLineAndExitTwoBeforeAnythingIsWritten(@TempDir Path dir) {
        Map<String, String> env = Map.of("JLOCUST_HOME", dir.resolve("checkout").toString(), "HOME", dir.toString());
        assertThat(init(env, "--mavne-repo", "x"))
                .isEqualTo(new Out(2, "", "jlocust init: unknown option '--mavne-repo' (see jlocust init --help)\n"));
        assertThat(init(env, "a", "b")).isEqualTo(new Out(2, "", "jlocust init: one folder at most, got 2\n"));
        assertThat(init(env, dir.resolve("p").toString(), "--maven-repo"))
                .isEqualTo(new Out(2, "", "jlocust init: --maven-repo needs a folder\n"));
        assertThat(init(Map.of("HOME", dir.toString()), dir.resolve("p").toString()))
                .isEqualTo(new Out(2, "", "jlocust init installs jlocust's artifacts from its checkout: run it as ./jlocust init\n"));
        assertThat(init(env, dir.resolve("p").toString()).err())
                .isEqualTo("jlocust init: " + dir.resolve("checkout/pom.xml") + " is missing: is " + dir.resolve("checkout") + " a jlocust checkout?\n");
        assertThat(init(env, "--mavne-repo\u001b[2J").err()).doesNotContain("\u001b").hasLineCount(1);
        assertThat(dir.resolve("p")).doesNotExist();
        assertThat(dir.resolve(".m2")).doesNotExist();
        assertThat(init(env, "--help").code()).isZero();
    }

    @Test
    void aFakeCheckoutIsInstalledOnceAndTheProjectIsWrittenOnce(@TempDir Path dir) throws Exception {
        Path checkout = dir.resolve("checkout");
        String version = InitCommand.versions().getProperty("jlocust");
        for (InitCommand.Module m : InitCommand.MODULES) {
            Path folder = Files.createDirectories(checkout.resolve(m.folder()));
            Files.writeString(folder.resolve("pom.xml"), "<project>" + m.artifactId() + "</project>");
            if (m.jar()) {
                Files.createDirectories(folder.resolve("target"));
                Files.writeString(folder.resolve("target/" + m.artifactId() + "-" + version + ".jar"), "jar of " + m.artifactId());
            }
        }
        Path repo = dir.resolve("repo");
        assertThat(InitCommand.install(checkout, repo, version)).isEqualTo(InitCommand.MODULES.size() * 2 - 1);
        assertThat(InitCommand.install(checkout, repo, version)).isZero();
        Path cliJar = repo.resolve("io/locusttelemetry/cli/" + version + "/cli-" + version + ".jar");
        assertThat(cliJar).hasContent("jar of cli");
        Files.writeString(checkout.resolve("cli/target/cli-" + version + ".jar"), "a newer build");
        assertThat(InitCommand.install(checkout, repo, version)).isOne();
        assertThat(cliJar).hasContent("a newer build");

        Properties versions = InitCommand.versions();
        assertThat(versions.stringPropertyNames()).containsExactlyInAnyOrder("jlocust", "junit", "surefire", "compiler", "resources", "jar");
        assertThat(versions.values()).allSatisfy(v -> assertThat(v.toString()).matches("[0-9][0-9A-Za-z.-]*"));
        Path project = dir.resolve("My Shop!");
        InitCommand.generate(project, versions);
        String pom = Files.readString(project.resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>my-shop-</artifactId>").contains("<jlocust.version>" + version + "</jlocust.version>")
                .doesNotContainPattern("@[A-Z_]+@");
        assertThat(project.resolve("src/test/jlocust/ShopUser.java")).exists();
        assertThat(project.resolve("src/test/java/com/example/ShopLoadTest.java")).exists();
    }
}
