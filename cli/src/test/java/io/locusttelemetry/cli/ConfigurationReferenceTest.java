package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is generated from the option definitions and must not drift from them. */
class ConfigurationReferenceTest {

    @Test
    void docsMatchTheOptionDefinitions() throws Exception {
        Jlocust.Result r = Jlocust.run("--help-markdown");
        assertThat(r.exitCode()).isZero();
        Path doc = Path.of("../docs/configuration.md");
        Files.writeString(Path.of("target/configuration.md"), r.out());
        assertThat(doc).exists();
        assertThat(Files.readString(doc))
                .as("docs/configuration.md is out of date: run ./jlocust --help-markdown > docs/configuration.md")
                .isEqualTo(r.out());
        assertThat(r.out()).contains("`LOCUST_USERS`").contains("`--enable-telemetry-recorder`").contains("`LOCUST_TELEMETRY_JSON_OUTPUT`");
    }
}
