package io.locusttelemetry.cluster;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.stats.EntrySnapshot;
import java.util.ArrayList;
import java.util.List;

/** Builds in-process runners for the tests and stops whatever they started. */
final class Cluster implements AutoCloseable {
    private final List<MasterRunner> masters = new ArrayList<>();
    private final List<WorkerRunner> workers = new ArrayList<>();

    @SafeVarargs
    static Environment environment(String host, Class<? extends User>... classes) {
        return Environment.builder().userClasses(classes).host(host).build();
    }

    MasterRunner master(Environment env) {
        MasterRunner m = MasterRunner.bind(env, "127.0.0.1", 0);
        masters.add(m);
        return m;
    }

    WorkerRunner worker(Environment env, int port) {
        return worker(env, WorkerRunner.Options.of("127.0.0.1", port));
    }

    WorkerRunner worker(Environment env, WorkerRunner.Options options) {
        WorkerRunner w = WorkerRunner.connect(env, options);
        workers.add(w);
        return w;
    }

    static long total(Environment env) {
        EntrySnapshot t = env.stats().snapshot().total();
        return t.numRequests();
    }

    @Override
    public void close() {
        for (WorkerRunner w : workers) {
            if (!w.quitted().isDone()) {
                try {
                    w.quit();
                } catch (RuntimeException ignored) {
                    // best effort
                }
            }
        }
        for (MasterRunner m : masters) {
            if (!m.quitted().isDone()) {
                m.quit();
            }
        }
    }
}
