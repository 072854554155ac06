package io.locusttelemetry.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layers of docs/architecture.md, checked on the compiled main classes of every module:
 * no arrow that the picture does not draw (nothing points up, no plugin knows the cluster), no
 * module reaching into another module's {@code internal} packages, and the engine, protocol and
 * web free of the libraries they must not know. A new module must be added to {@link #MODULES}.
 */
class ArchitectureTest {

    /** Package prefix → module, longest prefix first. */
    static final Map<String, String> MODULES = new LinkedHashMap<>();
    /** Module → the modules it may use. */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();
    /** Module → foreign package prefixes it must not use. */
    static final Map<String, List<String>> FORBIDDEN_LIBRARIES = new LinkedHashMap<>();

    static {
        MODULES.put("io.locusttelemetry.telemetry.json", "telemetry-json");
        MODULES.put("io.locusttelemetry.telemetry.otel", "telemetry-otel");
        MODULES.put("io.locusttelemetry.telemetry", "telemetry");
        MODULES.put("io.locusttelemetry.engine", "engine");
        MODULES.put("io.locusttelemetry.protocol", "protocol");
        MODULES.put("io.locusttelemetry.cluster", "cluster");
        MODULES.put("io.locusttelemetry.web", "web");
        MODULES.put("io.locusttelemetry.http2", "http2");
        MODULES.put("io.locusttelemetry.cli", "cli");
        MODULES.put("io.locusttelemetry.junit", "jlocust-junit");
        MODULES.put("io.locusttelemetry.examples", "examples");
        MODULES.put("io.locusttelemetry.testing", "test-peers");

        ALLOWED.put("engine", Set.of());
        ALLOWED.put("protocol", Set.of());
        ALLOWED.put("telemetry", Set.of("engine"));
        ALLOWED.put("telemetry-json", Set.of("telemetry", "engine"));
        ALLOWED.put("telemetry-otel", Set.of("telemetry", "engine"));
        ALLOWED.put("cluster", Set.of("engine", "protocol"));
        ALLOWED.put("web", Set.of("engine", "telemetry"));
        ALLOWED.put("http2", Set.of("engine"));
        ALLOWED.put("cli", Set.of("engine", "protocol", "cluster", "telemetry", "web"));
        ALLOWED.put("jlocust-junit", Set.of("engine", "cli"));
        ALLOWED.put("examples", Set.of("telemetry", "engine"));
        ALLOWED.put("test-peers", Set.of("engine"));

        List<String> transportAndBackends = List.of("org.zeromq.", "zmq.", "org.msgpack.", "io.opentelemetry.");
        // The engine's HTTP client may use BoringSSL's TLS engine through Netty's tcnative build, never
        // a server or Netty's networking
        List<String> servers = List.of("org.eclipse.jetty.", "io.javalin.", "io.helidon.", "io.undertow.", "io.netty.channel.", "io.netty.bootstrap.", "io.netty.handler.codec.");
        List<String> engine = new ArrayList<>(transportAndBackends);
        engine.addAll(servers);
        FORBIDDEN_LIBRARIES.put("engine", engine);
        FORBIDDEN_LIBRARIES.put("protocol", List.of("io.opentelemetry."));
        FORBIDDEN_LIBRARIES.put("telemetry", transportAndBackends);
        FORBIDDEN_LIBRARIES.put("telemetry-json", transportAndBackends);
        FORBIDDEN_LIBRARIES.put("cluster", List.of("io.opentelemetry."));
        FORBIDDEN_LIBRARIES.put("web", transportAndBackends);
        // HTTP/2 is a client: Jetty's, never its server, and nothing of the cluster's or the telemetry's
        List<String> http2 = new ArrayList<>(transportAndBackends);
        http2.add("org.eclipse.jetty.server.");
        FORBIDDEN_LIBRARIES.put("http2", http2);
    }

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.locusttelemetry");
    }

    @Test
    void everyModuleIsImportedAndMapped() {
        Set<String> seen = new TreeSet<>();
        List<String> unmapped = new ArrayList<>();
        for (JavaClass c : mainClasses) {
            String module = moduleOf(c.getPackageName());
            if (module == null) {
                unmapped.add(c.getName());
            } else {
                seen.add(module);
            }
        }
        assertThat(unmapped).as("classes in no module of the map: add their module to ArchitectureTest.MODULES").isEmpty();
        assertThat(seen).as("modules whose classes the test read").contains("engine", "protocol", "cluster", "telemetry",
                "telemetry-json", "telemetry-otel", "web", "http2", "cli", "jlocust-junit", "examples", "test-peers");
    }

    @Test
    void modulesUseOnlyWhatTheLayersAllowAndNoOtherModulesInternals() {
        assertThat(violations(mainClasses)).isEmpty();
    }

    @Test
    void theCheckCatchesAReachIntoInternalsAnUpwardArrowAndAForbiddenLibrary() {
        JavaClasses fixtures = new ClassFileImporter().importClasses(
                io.locusttelemetry.telemetry.archfixture.ReachesIntoEngineInternals.class,
                io.locusttelemetry.engine.archfixture.PointsUpAtTheCluster.class,
                io.locusttelemetry.engine.archfixture.UsesZeroMq.class);
        List<String> found = violations(fixtures);
        assertThat(found).anyMatch(v -> v.contains("ReachesIntoEngineInternals") && v.contains("internal"));
        assertThat(found).anyMatch(v -> v.contains("PointsUpAtTheCluster") && v.contains("engine -> cluster"));
        assertThat(found).anyMatch(v -> v.contains("UsesZeroMq") && v.contains("org.zeromq"));
    }

    /** One line per forbidden dependency, deduplicated by class pair. */
    static List<String> violations(JavaClasses classes) {
        Set<String> out = new TreeSet<>();
        for (JavaClass from : classes) {
            String fromModule = moduleOf(from.getPackageName());
            if (fromModule == null) {
                continue;
            }
            for (Dependency d : from.getDirectDependenciesFromSelf()) {
                JavaClass to = d.getTargetClass();
                while (to.isArray()) {
                    to = to.getComponentType();
                }
                String target = to.getName();
                String pkg = to.getPackageName();
                String toModule = moduleOf(pkg);
                if (toModule == null) {
                    for (String lib : FORBIDDEN_LIBRARIES.getOrDefault(fromModule, List.of())) {
                        if (target.startsWith(lib)) {
                            out.add(fromModule + " must not use " + lib + "*: " + from.getName() + " -> " + target);
                        }
                    }
                    continue;
                }
                if (toModule.equals(fromModule)) {
                    continue;
                }
                if (!ALLOWED.getOrDefault(fromModule, Set.of()).contains(toModule)) {
                    out.add("arrow " + fromModule + " -> " + toModule + " is not in the layers: " + from.getName() + " -> " + target);
                }
                if (pkg.contains(".internal")) {
                    out.add("reach into " + toModule + "'s internal package: " + from.getName() + " -> " + target);
                }
            }
        }
        return new ArrayList<>(out);
    }

    static String moduleOf(String pkg) {
        for (Map.Entry<String, String> e : MODULES.entrySet()) {
            String prefix = e.getKey();
            if (pkg.equals(prefix) || pkg.startsWith(prefix + ".")) {
                return e.getValue();
            }
        }
        return null;
    }
}
