package io.locusttelemetry.cluster;

import io.locusttelemetry.cluster.internal.MasterRouter;
import io.locusttelemetry.cluster.internal.WorkerDispatch;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.RunnerState;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a master's router and dispatch see of it; what ends the run goes to its control thread. */
final class MasterHooks implements MasterRouter.Master, WorkerDispatch.Test {
    private static final Logger log = LoggerFactory.getLogger(MasterRunner.class);

    private final MasterRunner master;
    private final Executor control;

    MasterHooks(MasterRunner master, Executor control) {
        this.master = master;
        this.control = control;
    }

    @Override
    public RunnerState state() {
        return master.state();
    }

    @Override
    public void running() {
        master.markRunning();
    }

    @Override
    public boolean quitting() {
        return master.isQuitting();
    }

    @Override
    public boolean deliver(CustomMessage message) {
        return master.deliver(message);
    }

    @Override
    public void logException(String message, String traceback, String node) {
        master.logException(message, traceback, node);
    }

    @Override
    public void socketFailed(Throwable error) {
        log.error("The master's socket failed, no worker can reach it any more: {}; ending the run", error.toString());
        master.environment().markUnhandledError();
        control.execute(master::quit);
    }

    @Override
    public void lastWorkerGone() {
        control.execute(() -> {
            master.stop();
            if (master.quitsWhenLastWorkerLeaves()) {
                master.quit();
            }
        });
    }
}
