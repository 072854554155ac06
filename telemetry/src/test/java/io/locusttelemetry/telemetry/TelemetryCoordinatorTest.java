package io.locusttelemetry.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.LocalRunner;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.telemetry.testplugins.ProbeRecorder;
import io.locusttelemetry.testing.RoleRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TelemetryCoordinatorTest {
    private static final String HEX8 = "[0-9a-f]{8}";

    /** A user that reports one fake request per task. */
    public static class PingUser extends User {
        public PingUser() {
            waitTime(constant(0.05));
        }

        @Task
        public void ping() {
            reportRequest("GET", "/ping", 1.5, 10, null);
        }
    }

    private final List<TelemetryRecord> records = new CopyOnWriteArrayList<>();

    private static Environment environment(String enabled, Map<String, Object> more) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("testplan", "checkout");
        options.put("enable_telemetry_recorder", enabled);
        options.putAll(more);
        return Environment.builder().userClasses(PingUser.class).parsedOptions(new ParsedOptions(options)).build();
    }

    private TelemetryCoordinator coordinator(Environment env) {
        TelemetryCoordinator c = new TelemetryCoordinator(env, TelemetryRecorderPluginManager.discover(getClass().getClassLoader()));
        c.addSink(records::add);
        return c;
    }

    private static ProbeRecorder probe(TelemetryCoordinator c, String name) {
        return c.recorders().stream().filter(r -> r.name().equals(name)).map(ProbeRecorder.class::cast).findFirst().orElseThrow();
    }

    @Test
    void localRunCreatesMetadataBeforeUsersSpawnAndTagsEveryRecord() {
        Environment env = environment("alpha,beta", Map.of());
        TelemetryCoordinator c = coordinator(env);
        LocalRunner runner = env.createLocalRunner();
        env.events().init.fire(env);

        // local: master and worker recorders of alpha; beta's recorder once (same class and name on both roles)
        assertThat(c.recorders()).extracting(TelemetryBaseRecorder::name).containsExactly("alpha.master", "alpha.worker", "beta");
        assertThat(c.recorders()).extracting(TelemetryBaseRecorder::pluginId).containsExactly("alpha", "alpha", "beta");
        assertThat(c.current()).isNull();

        List<TestMetadata> atTestStart = new CopyOnWriteArrayList<>();
        env.events().testStart.addListener(e -> atTestStart.add(c.current()));
        try {
            runner.start(2, 100);
            await().atMost(Duration.ofSeconds(5)).until(() -> env.stats().snapshot().total().numRequests() > 0);
            TestMetadata md = c.current();
            assertThat(md.runId()).matches(HEX8);
            assertThat(md.testplan()).isEqualTo("checkout");
            assertThat(md.extra()).containsExactly(Map.entry("alpha_version", 3L));
            assertThat(atTestStart).containsExactly(md);

            probe(c, "beta").record("probe.metric", Map.of("value", 1));
            TelemetryRecord r = records.getLast();
            assertThat(r.logger()).isEqualTo("locust_telemetry.beta");
            assertThat(r.message()).isEqualTo("Recording telemetry metrics: probe.metric");
            assertThat(r.telemetry()).containsExactly(
                    Map.entry("telemetry_type", "metrics"), Map.entry("telemetry_name", "probe.metric"),
                    Map.entry("source", "LocalRunner"), Map.entry("source_id", "local"),
                    Map.entry("run_id", md.runId()), Map.entry("testplan", "checkout"), Map.entry("value", 1));
        } finally {
            runner.quit();
            env.events().quitting.fire(env);
        }
        assertThat(probe(c, "beta").seen).containsExactly("test_start", "spawning_complete", "test_stop");

        // a second test gets a new run id
        String first = c.current().runId();
        assertThat(first).matches(HEX8);
    }

    @Test
    void eachTestGetsItsOwnRunIdUnlessFixed() {
        Environment env = environment("beta", Map.of());
        TelemetryCoordinator c = coordinator(env);
        LocalRunner runner = env.createLocalRunner();
        env.events().init.fire(env);
        runner.start(1, 10);
        String first = c.current().runId();
        runner.stop();
        runner.start(1, 10);
        String second = c.current().runId();
        runner.quit();
        assertThat(first).matches(HEX8);
        assertThat(second).matches(HEX8).isNotEqualTo(first);

        Environment fixed = environment("beta", Map.of("run_id", "nightly-42"));
        TelemetryCoordinator cf = coordinator(fixed);
        LocalRunner fixedRunner = fixed.createLocalRunner();
        fixed.events().init.fire(fixed);
        fixedRunner.start(1, 10);
        fixedRunner.quit();
        assertThat(cf.current().runId()).isEqualTo("nightly-42");
    }

    @Test
    void masterSendsSetMetadataToWorkers() {
        Environment env = environment("alpha,beta", Map.of());
        TelemetryCoordinator c = coordinator(env);
        RoleRunner master = new RoleRunner(env, Runner.Role.MASTER, "master");
        c.initialize();

        assertThat(master.handlers()).isEmpty();
        assertThat(c.recorders()).extracting(TelemetryBaseRecorder::name).containsExactly("alpha.master", "beta");
        assertThat(probe(c, "beta").role).isEqualTo("master");

        master.start(10, 1);
        assertThat(master.sent()).hasSize(1);
        assertThat(master.sent().get(0).type()).isEqualTo("set_metadata");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) master.sent().get(0).data();
        assertThat(data).containsExactly(Map.entry("run_id", c.current().runId()), Map.entry("testplan", "checkout"),
                Map.entry("alpha_version", 3L));

        probe(c, "alpha.master").record("probe", Map.of());
        assertThat(records.getLast().telemetry()).containsEntry("source", "MasterRunner").containsEntry("source_id", "master")
                .containsEntry("run_id", c.current().runId());
    }

    @Test
    void workerHoldsRecordsBackUntilSetMetadataArrives() {
        Environment env = environment("alpha,beta", Map.of("testplan", "worker-side-plan"));
        TelemetryCoordinator c = coordinator(env);
        RoleRunner worker = new RoleRunner(env, Runner.Role.WORKER, "worker-3");
        c.initialize();
        assertThat(c.recorders()).extracting(TelemetryBaseRecorder::name).containsExactly("alpha.worker", "beta");
        assertThat(worker.handlers()).containsKey("set_metadata");

        probe(c, "beta").record("early", Map.of("n", 1));
        probe(c, "beta").record("early", Map.of("n", 2));
        assertThat(records).isEmpty();

        worker.receive("set_metadata", Map.of("run_id", "0badcafe", "testplan", "checkout", "alpha_version", 3L));
        assertThat(records).hasSize(2);
        assertThat(records).allSatisfy(r -> assertThat(r.telemetry())
                .containsEntry("run_id", "0badcafe").containsEntry("testplan", "checkout")
                .containsEntry("source", "WorkerRunner").containsEntry("source_id", "worker-3"));
        assertThat(records).extracting(r -> r.telemetry().get("n")).containsExactly(1, 2);
        assertThat(c.current()).isEqualTo(new TestMetadata("0badcafe", "checkout", Map.of("alpha_version", 3L)));

        // a worker's test start does not invent metadata
        worker.start(1, 1);
        assertThat(worker.sent()).isEmpty();
        assertThat(c.current().runId()).isEqualTo("0badcafe");
    }

    @Test
    void recordsBelowTheLogLevelAreDropped() {
        Environment env = environment("beta", Map.of("lt_log_level", "warning"));
        TelemetryCoordinator c = coordinator(env);
        RoleRunner master = new RoleRunner(env, Runner.Role.MASTER, "master");
        c.initialize();
        master.start(1, 1);
        ProbeRecorder p = probe(c, "beta");
        p.record(TelemetryLevel.INFO, "info.event");
        p.record(TelemetryLevel.WARNING, "warning.event");
        p.record(TelemetryLevel.ERROR, "error.event");
        assertThat(records).extracting(TelemetryRecord::name).containsExactly("warning.event", "error.event");
        assertThat(records).extracting(TelemetryRecord::level).containsExactly(TelemetryLevel.WARNING, TelemetryLevel.ERROR);
    }

    @Test
    void quittingClosesRecordersAndUnsubscribes() {
        Environment env = environment("beta", Map.of());
        TelemetryCoordinator c = coordinator(env);
        LocalRunner runner = env.createLocalRunner();
        env.events().init.fire(env);
        assertThat(env.events().spawningComplete.hasListeners()).isTrue();

        runner.quit();
        env.events().quitting.fire(env);

        assertThat(c.isClosed()).isTrue();
        assertThat(c.recorders()).allSatisfy(r -> assertThat(r.isClosed()).isTrue());
        assertThat(env.events().spawningComplete.hasListeners()).isFalse();
        assertThat(env.events().init.hasListeners()).isFalse();
        c.flush(); // safe after close
    }

    @Test
    void noRecorderEnabledLoadsNothingAndSendsNothing() {
        Environment env = Environment.builder().userClasses(PingUser.class).build();
        TelemetryCoordinator c = coordinator(env);
        RoleRunner master = new RoleRunner(env, Runner.Role.MASTER, "master");
        env.events().init.fire(env);
        master.start(1, 1);
        assertThat(c.isInitialized()).isTrue();
        assertThat(c.recorders()).isEmpty();
        assertThat(master.sent()).isEmpty();
        assertThat(c.current()).isNull();
    }

    @Test
    void configurationErrorsOnInitAreExceptionsForTheCliAndListenerErrorsOnTheEvent() {
        Environment env = Environment.builder().userClasses(PingUser.class)
                .parsedOptions(new ParsedOptions(Map.of("enable_telemetry_recorder", "beta"))).build();
        TelemetryCoordinator c = coordinator(env);
        new RoleRunner(env, Runner.Role.LOCAL, "local");

        assertThatThrownBy(c::initialize).isInstanceOf(TelemetryConfigurationException.class).hasMessageContaining("--testplan");
        env.events().init.fire(env);
        assertThat(env.hadListenerError()).isTrue();
        assertThat(c.recorders()).isEmpty();
    }

    @Test
    void recordersCannotRecordBeforeTheyAreLoaded() {
        Environment env = environment("beta", Map.of());
        ProbeRecorder loose = new ProbeRecorder("loose", env, "none");
        assertThatThrownBy(() -> loose.record("x", Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not loaded by a TelemetryCoordinator");
    }

    @Test
    void contextFieldsCannotBeOverridden() {
        Environment env = environment("beta", Map.of());
        TelemetryCoordinator c = coordinator(env);
        new RoleRunner(env, Runner.Role.MASTER, "master");
        c.initialize();
        assertThatThrownBy(() -> probe(c, "beta").record("x", Map.of("run_id", "forged")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run_id");
    }

    @Test
    void recordsThatNeverGetMetadataAreEmittedWithoutRunIdAtCloseNotDropped() {
        Environment env = environment("beta", Map.of());
        TelemetryCoordinator c = coordinator(env);
        new RoleRunner(env, Runner.Role.WORKER, "worker-0");
        c.initialize();
        probe(c, "beta").record("orphan", Map.of());
        assertThat(records).isEmpty();

        env.events().quitting.fire(env);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("orphan");
            assertThat(r.telemetry()).containsEntry("run_id", null).containsEntry("testplan", "checkout");
        });
    }
}
