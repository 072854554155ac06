package io.locusttelemetry.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.telemetry.testplugins.AlphaTestPlugin;
import io.locusttelemetry.telemetry.testplugins.BetaTestPlugin;
import io.locusttelemetry.telemetry.testplugins.DuplicateAlphaPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDiscoveryTest {
    private static final String SERVICE = "META-INF/services/" + TelemetryRecorderPluginBase.class.getName();

    @Test
    void annotatedPluginsAreFoundThroughTheServiceFileTheProcessorWrote() throws IOException {
        TelemetryRecorderPluginManager manager = TelemetryRecorderPluginManager.discover(getClass().getClassLoader());

        assertThat(manager.ids()).containsExactly("alpha", "beta");
        assertThat(manager.plugin("alpha")).get().isInstanceOf(AlphaTestPlugin.class);
        assertThat(manager.plugin("beta")).get().isInstanceOf(BetaTestPlugin.Plugin.class);

        // the entries come from the annotation processor's output in this module's test classes
        List<URL> files = Collections.list(getClass().getClassLoader().getResources(SERVICE));
        URL generated = files.stream().filter(u -> u.getPath().contains("test-classes")).findFirst().orElseThrow();
        try (InputStream in = generated.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList())
                    .containsExactly(AlphaTestPlugin.class.getName(), BetaTestPlugin.Plugin.class.getName());
        }
        // the processor itself is registered for javac of every module that depends on telemetry
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/services/javax.annotation.processing.Processor")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo("io.locusttelemetry.telemetry.internal.TelemetryRecorderPluginProcessor");
        }
    }

    @Test
    void twoPluginsWithOneIdAreRefusedNamingBothClasses(@TempDir Path dir) throws IOException {
        Path services = dir.resolve(SERVICE);
        Files.createDirectories(services.getParent());
        Files.writeString(services, DuplicateAlphaPlugin.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> TelemetryRecorderPluginManager.discover(loader))
                    .isInstanceOf(TelemetryConfigurationException.class)
                    .hasMessageContaining("'alpha'")
                    .hasMessageContaining(AlphaTestPlugin.class.getName())
                    .hasMessageContaining(DuplicateAlphaPlugin.class.getName())
                    .message().doesNotContain("\n");
        }
    }

    @Test
    void aBrokenServiceEntryIsOneClearLine(@TempDir Path dir) throws IOException {
        Path services = dir.resolve(SERVICE);
        Files.createDirectories(services.getParent());
        Files.writeString(services, "com.example.NoSuchPlugin\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            assertThatThrownBy(() -> TelemetryRecorderPluginManager.discover(loader))
                    .isInstanceOf(TelemetryConfigurationException.class)
                    .hasMessageContaining("com.example.NoSuchPlugin")
                    .message().doesNotContain("\n");
        }
    }

    @Test
    void invalidIdsAreRefused() {
        TelemetryRecorderPluginBase bad = new TelemetryRecorderPluginBase() {
            @Override
            public String id() {
                return "Bad Id";
            }

            @Override
            public List<TelemetryBaseRecorder> loadMasterTelemetryRecorders(Environment env) {
                return List.of();
            }

            @Override
            public List<TelemetryBaseRecorder> loadWorkerTelemetryRecorders(Environment env) {
                return List.of();
            }
        };
        assertThatThrownBy(() -> TelemetryRecorderPluginManager.of(List.of(bad)))
                .isInstanceOf(TelemetryConfigurationException.class)
                .hasMessageContaining("invalid id 'Bad Id'");
    }
}
