package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.cli.internal.ArgumentParser;
import io.locusttelemetry.cli.internal.ConfigFile;
import io.locusttelemetry.cli.internal.CoreOptions;
import io.locusttelemetry.cli.internal.OptionRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoAndConfigTest {

    @Test
    void demoRunsAndPrintsTables() {
        Jlocust.Result r = Jlocust.run("demo", "-t", "4s", "-u", "10", "-r", "20");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(0);
        assertThat(r.out()).contains("Aggregated").contains("Response time percentiles (approximated)").contains("/api/items/[id]");
    }

    @Test
    void precedenceIsConfigFileThenEnvThenCommandLine(@TempDir Path dir) throws Exception {
        OptionRegistry registry = new OptionRegistry();
        CoreOptions.register(registry);
        io.locusttelemetry.web.WebOptions.register(registry);
        Path conf = dir.resolve("locust.conf");
        Files.writeString(conf, "# a comment\nusers = 3\nspawn-rate = 2\nrun_time = 1m\nheadless = true\n");
        Map<String, String> file = ConfigFile.read(conf).values();

        var fromFile = new ArgumentParser(registry, Map.of()).parse(new String[0], file).options();
        assertThat(fromFile.getInt("num_users", 0)).isEqualTo(3);
        assertThat(fromFile.getString("run_time")).isEqualTo("1m");
        assertThat(fromFile.getBoolean("headless", false)).isTrue();

        var fromEnv = new ArgumentParser(registry, Map.of("LOCUST_USERS", "4")).parse(new String[0], file).options();
        assertThat(fromEnv.getInt("num_users", 0)).isEqualTo(4);
        assertThat(fromEnv.getDouble("spawn_rate", 0)).isEqualTo(2.0);

        var fromCli = new ArgumentParser(registry, Map.of("LOCUST_USERS", "4")).parse(new String[] {"-u", "5"}, file).options();
        assertThat(fromCli.getInt("num_users", 0)).isEqualTo(5);
    }

    @Test
    void aBareBooleanFlagMeansTrueWhateverItsDefault() {
        OptionRegistry registry = new OptionRegistry();
        CoreOptions.register(registry);
        io.locusttelemetry.web.WebOptions.register(registry);
        registry.addArgumentGroup("Test").addArgument(io.locusttelemetry.engine.OptionSpec.option("--on-by-default").type(Boolean.class)
                .defaultValue("true").env("ON_BY_DEFAULT").build());
        var parser = new ArgumentParser(registry, Map.of("LOCUST_HEADLESS", "true"));

        var bare = parser.parse(new String[] {"--on-by-default", "--headless", "-u", "5"}, Map.of()).options();
        assertThat(bare.getBoolean("on_by_default", false)).isTrue();
        assertThat(bare.getBoolean("headless", false)).isTrue();
        assertThat(bare.getInt("num_users", 0)).isEqualTo(5);

        var explicit = parser.parse(new String[] {"--on-by-default", "false"}, Map.of()).options();
        assertThat(explicit.getBoolean("on_by_default", true)).isFalse();
        assertThat(parser.parse(new String[0], Map.of()).options().getBoolean("on_by_default", false)).isTrue();
    }

    @Test
    void helpListsEveryGroupWithEnvironmentVariables() {
        Jlocust.Result r = Jlocust.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Common options:").contains("--spawn-rate").contains("[env LOCUST_SPAWN_RATE]")
                .contains("--check-fail-ratio").contains("--csv");
    }

    @Test
    void listShowsUserClasses() {
        Jlocust.Result r = Jlocust.run("-f", "../examples/locustfiles/QuickUser.java,../examples/locustfiles/WebsiteUser.java", "--list");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("QuickUser").contains("WebsiteUser");
    }
}
