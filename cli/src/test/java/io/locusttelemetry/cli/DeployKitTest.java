package io.locusttelemetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No cluster runs here, so the deploy kit is checked against the Kubernetes API types (unknown
 * fields rejected), its environment variables against the options jlocust knows, the collector's
 * pipelines against what they reference, and the Prometheus config with promtool.
 */
class DeployKitTest {
    private static final Path DEPLOY = Path.of("../deploy");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Read by the OpenTelemetry SDK's autoconfiguration and by the launcher, not options of jlocust. */
    private static final Set<String> OTHER_KNOWN = Set.of("OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_TRACES_SAMPLER",
            "OTEL_TRACES_SAMPLER_ARG", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS",
            "JLOCUST_JAVA_OPTS", "JLOCUST_CLASSPATH");

    private record Doc(String file, Object model) {}

    private static List<Doc> manifests() throws Exception {
        List<Doc> docs = new ArrayList<>();
        try (var files = Files.list(DEPLOY.resolve("kubernetes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (String part : Files.readString(f).split("(?m)^---\\s*$")) {
                    if (part.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
                        continue;
                    }
                    JsonNode tree = YAML.readTree(part);
                    Class<?> type = switch (tree.path("kind").asText()) {
                        case "Deployment" -> Deployment.class;
                        case "Service" -> Service.class;
                        case "ConfigMap" -> ConfigMap.class;
                        default -> throw new AssertionError(f + ": unexpected kind " + tree.path("kind").asText());
                    };
                    Object model = YAML.treeToValue(tree, type);
                    assertNoUnknownFields(f.getFileName() + " " + tree.path("kind").asText(), model, new IdentityHashMap<>());
                    docs.add(new Doc(f.getFileName().toString(), model));
                }
            }
        }
        return docs;
    }

    /** The model classes keep unknown fields in additionalProperties instead of failing: fail here. */
    private static void assertNoUnknownFields(String where, Object o, IdentityHashMap<Object, Boolean> seen) throws Exception {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            for (Object e : c) {
                assertNoUnknownFields(where, e, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Object e : m.values()) {
                assertNoUnknownFields(where, e, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) v).as(where + ": fields unknown to " + o.getClass().getSimpleName()).isNullOrEmpty();
            } else {
                assertNoUnknownFields(where, v, seen);
            }
        }
    }

    private static Set<String> jlocustEnvironmentVariables() {
        Jlocust.Result r = Jlocust.run("--help-markdown");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\| `([A-Z][A-Z0-9_]+)` \\|").matcher(r.out());
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).contains("LOCUST_USERS", "LOCUST_TESTPLAN_NAME");
        return names;
    }

    @Test
    void manifestsAreValidKubernetesObjectsThatFitTogether() throws Exception {
        List<Doc> docs = manifests();
        List<Deployment> deployments = docs.stream().map(Doc::model).filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
        List<Service> services = docs.stream().map(Doc::model).filter(Service.class::isInstance).map(Service.class::cast).toList();
        List<ConfigMap> configMaps = docs.stream().map(Doc::model).filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast).toList();
        assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrder("jlocust-master", "jlocust-worker");
        assertThat(services).extracting(s -> s.getMetadata().getName()).contains("jlocust-master");
        assertThat(configMaps).isNotEmpty();

        for (Deployment d : deployments) {
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
            for (var volume : d.getSpec().getTemplate().getSpec().getVolumes()) {
                if (volume.getConfigMap() != null) {
                    assertThat(configMaps).extracting(c -> c.getMetadata().getName()).contains(volume.getConfigMap().getName());
                }
            }
        }
        Deployment master = deployments.stream().filter(d -> d.getMetadata().getName().equals("jlocust-master")).findFirst().orElseThrow();
        Service masterService = services.stream().filter(s -> s.getMetadata().getName().equals("jlocust-master")).findFirst().orElseThrow();
        assertThat(master.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(masterService.getSpec().getSelector());
        Set<String> masterPorts = new TreeSet<>();
        master.getSpec().getTemplate().getSpec().getContainers().forEach(c -> c.getPorts().forEach(p -> masterPorts.add(p.getName())));
        masterService.getSpec().getPorts().forEach(p -> assertThat(masterPorts).contains(p.getTargetPort().getStrVal()));

        Deployment worker = deployments.stream().filter(d -> d.getMetadata().getName().equals("jlocust-worker")).findFirst().orElseThrow();
        Map<String, String> workerEnv = env(worker.getSpec().getTemplate().getSpec().getContainers().get(0));
        assertThat(workerEnv).containsEntry("LOCUST_MODE_WORKER", "true").containsEntry("LOCUST_MASTER_NODE_HOST", "jlocust-master");
        assertThat(env(master.getSpec().getTemplate().getSpec().getContainers().get(0))).containsEntry("LOCUST_MODE_MASTER", "true");
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            out.put(e.getName(), e.getValue());
        }
        return out;
    }

    @Test
    void everyEnvironmentVariableIsAnOptionJlocustKnows() throws Exception {
        Set<String> known = jlocustEnvironmentVariables();
        for (Doc doc : manifests()) {
            if (doc.model() instanceof Deployment d) {
                for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                    for (EnvVar e : c.getEnv()) {
                        assertThat(known.contains(e.getName()) || OTHER_KNOWN.contains(e.getName()))
                                .as(doc.file() + ": " + e.getName() + " is not an environment variable jlocust reads").isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theConfigMapsLocustfileCompiles(@TempDir Path dir) throws Exception {
        for (Doc doc : manifests()) {
            if (doc.model() instanceof ConfigMap cm) {
                for (Map.Entry<String, String> e : cm.getData().entrySet()) {
                    Path file = dir.resolve(e.getKey());
                    Files.writeString(file, e.getValue());
                    Jlocust.Result r = Jlocust.run("-f", file.toString(), "--list");
                    assertThat(r.exitCode()).as(r.err()).isZero();
                    assertThat(r.out()).contains(e.getKey().replace(".java", ""));
                }
            }
        }
    }

    @Test
    void collectorPipelinesUseOnlyDefinedComponents() throws Exception {
        JsonNode config = YAML.readTree(DEPLOY.resolve("otel-collector/config.yaml").toFile());
        JsonNode pipelines = config.path("service").path("pipelines");
        assertThat(pipelines.has("metrics")).isTrue();
        assertThat(pipelines.has("traces")).isTrue();
        // jlocust's OTLP log records go to Loki's OTLP endpoint
        assertThat(pipelines.path("logs").path("receivers").toString()).contains("otlp");
        String logsExporter = pipelines.path("logs").path("exporters").get(0).asText();
        assertThat(logsExporter).startsWith("otlphttp");
        assertThat(config.path("exporters").path(logsExporter).path("endpoint").asText()).contains("loki").endsWith("/otlp");
        for (JsonNode pipeline : pipelines) {
            for (String kind : List.of("receivers", "processors", "exporters")) {
                for (JsonNode name : pipeline.path(kind)) {
                    assertThat(config.path(kind).has(name.asText())).as(kind + " " + name.asText() + " is defined").isTrue();
                }
            }
        }
        assertThat(config.path("receivers").path("otlp").path("protocols").has("grpc")).isTrue();
        assertThat(config.path("receivers").path("otlp").path("protocols").has("http")).isTrue();
    }

    @Test
    void prometheusConfigPassesPromtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assertThat(promtool).as("promtool is missing: apt-get install -y prometheus (./run-tests does)").exists();
        Process p = new ProcessBuilder(promtool.toString(), "check", "config", DEPLOY.resolve("prometheus/prometheus.yml").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
