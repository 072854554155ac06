package io.locusttelemetry.telemetry.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.telemetry.TelemetryRecorderPluginManager;
import io.locusttelemetry.telemetry.otel.OtlpReceiver.Received;
import io.locusttelemetry.telemetry.otel.internal.OtelNames;
import io.locusttelemetry.telemetry.otel.internal.OtelRecorder;
import io.locusttelemetry.testing.RoleRunner;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a master and a worker record (the spec's "recorded on" column), each with its own service.instance.id. */
class OtelRolesTest {

    private static Environment environment(OtlpReceiver receiver) {
        return Environment.builder().parsedOptions(new ParsedOptions(OtelRun.options(Map.of(
                "lt_otel_exporter_otlp_endpoint", receiver.endpoint("grpc"),
                "lt_otel_traces_sampler_ratio", 1.0)))).build();
    }

    private static RequestEvent request(String name, int status, String error) {
        return new RequestEvent("GET", name, 12.5, 100, status, error == null ? null : new RequestEvent.Failure("HTTPError", error, null),
                System.currentTimeMillis(), "http://127.0.0.1:9/" + name, Map.of(), null, null);
    }

    @Test
    void workerRecordsRequestsUnderItsIndexOnceTheMasterAcknowledgedIt() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            Environment env = environment(receiver);
            TelemetryCoordinator coordinator = new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(getClass().getClassLoader()));
            RoleRunner runner = new RoleRunner(env, Runner.Role.WORKER, "worker");
            coordinator.initialize();
            OtelRecorder recorder = (OtelRecorder) coordinator.recorders().get(0);
            // nothing runs before the master's ack and first spawn
            assertThat(recorder.pipeline()).isNull();
            assertThat(env.tracer()).isNull();

            runner.receive("set_metadata", Map.of("run_id", "abcd1234", "testplan", "checkout"));
            runner.sourceId("worker-3");
            runner.start(5, 5);
            assertThat(recorder.pipeline()).isNotNull();
            assertThat(env.tracer()).isNotNull();
            env.fireRequest(request("/ok", 200, null));
            env.fireRequest(request("/ok", 200, null));
            env.fireRequest(request("/bad", 503, "HTTPError('503')"));
            runner.stop();
            env.events().quitting.fire(env);
            assertThat(env.tracer()).isNull();

            List<Received<Metric>> metrics = receiver.metrics();
            assertThat(metrics).allSatisfy(m -> assertThat(m.resource()).containsEntry("locust.source_id", "worker-3")
                    .containsKeys("service.instance.id", "host.name", "process.pid"));
            assertThat(metrics.stream().map(m -> m.item().getName()).collect(Collectors.toSet()))
                    .containsAll(OtelNames.JVM_HEALTH).containsAll(List.of(
                    OtelNames.USER_COUNT, OtelNames.CPU, OtelNames.MEM, OtelNames.NETWORK, OtelNames.REQUEST_SUCCESS, OtelNames.REQUEST_ERROR))
                    .allMatch(n -> !n.equals(OtelNames.TEST_EVENTS));
            HistogramDataPoint ok = receiver.latest(OtelNames.REQUEST_SUCCESS).item().getHistogram().getDataPoints(0);
            assertThat(ok.getCount()).isEqualTo(2);
            assertThat(OtlpReceiver.attributes(ok.getAttributesList())).containsEntry("source", "WorkerRunner")
                    .containsEntry("source_id", "worker-3").containsEntry("run_id", "abcd1234").containsEntry("testplan", "checkout")
                    .containsEntry("endpoint", "/ok").containsEntry("status_code", 200L);
            HistogramDataPoint bad = receiver.latest(OtelNames.REQUEST_ERROR).item().getHistogram().getDataPoints(0);
            assertThat(OtlpReceiver.attributes(bad.getAttributesList())).containsEntry("status_code", 503L).containsEntry("error.type", "HTTPError");
            Metric users = receiver.latest(OtelNames.USER_COUNT).item();
            assertThat(OtlpReceiver.attributes(users.getGauge().getDataPoints(0).getAttributesList()))
                    .containsEntry("source", "WorkerRunner").containsEntry("source_id", "worker-3");
        }
    }

    @Test
    void aWorkerThatCannotStartItsSdkSaysSoInOneLineAndRunsOn() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                LogCapture logs = new LogCapture()) {
            Environment env = Environment.builder().parsedOptions(new ParsedOptions(OtelRun.options(Map.of(
                    "lt_otel_prometheus_port", taken.getLocalPort(), "lt_otel_prometheus_host", "127.0.0.1")))).build();
            TelemetryCoordinator coordinator = new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(getClass().getClassLoader()));
            RoleRunner runner = new RoleRunner(env, Runner.Role.WORKER, "worker-0");
            coordinator.initialize();
            runner.receive("set_metadata", Map.of("run_id", "abcd1234", "testplan", "checkout"));
            runner.start(1, 1);
            env.fireRequest(request("/ok", 200, null));
            runner.stop();
            env.events().quitting.fire(env);
            assertThat(env.hadListenerError()).isFalse();
            assertThat(env.tracer()).isNull();
            assertThat(logs.warnings()).singleElement().asString()
                    .contains("OpenTelemetry recording is off on this WorkerRunner", "--lt-otel-prometheus-port", String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    void masterRecordsEventsUsersAndSystemUsageButNoRequests() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            Environment env = environment(receiver);
            TelemetryCoordinator coordinator = new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(getClass().getClassLoader()));
            RoleRunner runner = new RoleRunner(env, Runner.Role.MASTER, "master");
            coordinator.initialize();
            runner.start(10, 5);
            env.events().cpuWarning.fire(new Events.CpuWarning(95, "CPU usage above 90%!", System.currentTimeMillis()));
            env.fireRequest(request("/ok", 200, null)); // a master makes no requests: not recorded
            runner.stop();
            env.events().quitting.fire(env);
            assertThat(env.tracer()).isNull();

            List<Received<Metric>> metrics = receiver.metrics();
            assertThat(metrics).allSatisfy(m -> assertThat(m.resource()).containsEntry("locust.source_id", "master"));
            assertThat(metrics.stream().map(m -> m.item().getName()).collect(Collectors.toSet())).containsAll(OtelNames.JVM_HEALTH)
                    .containsAll(List.of(OtelNames.TEST_EVENTS, OtelNames.USER_COUNT, OtelNames.CPU, OtelNames.MEM, OtelNames.NETWORK))
                    .noneMatch(n -> n.startsWith("locust.tl.request."));
            Map<Object, Long> events = receiver.latest(OtelNames.TEST_EVENTS).item().getSum().getDataPointsList().stream()
                    .collect(Collectors.toMap(p -> OtlpReceiver.attributes(p.getAttributesList()).get("event"), p -> p.getAsInt()));
            assertThat(events).containsExactlyInAnyOrderEntriesOf(Map.of("locust.tl.event.test.start", 1L,
                    "locust.tl.event.spawn.complete", 1L, "locust.tl.event.cpu.warning", 1L, "locust.tl.event.test.stop", 1L));
            assertThat(receiver.latest(OtelNames.TEST_EVENTS).item().getSum().getDataPointsList()).allSatisfy(p ->
                    assertThat(OtlpReceiver.attributes(p.getAttributesList())).containsEntry("source", "MasterRunner")
                            .containsEntry("source_id", "master").containsEntry("run_id", coordinator.current().runId()));
            assertThat(receiver.spans()).isEmpty();
        }
    }
}
