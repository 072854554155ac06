package io.locusttelemetry.cluster;

import io.locusttelemetry.cluster.internal.MasterLink;
import io.locusttelemetry.cluster.internal.WorkerReporter;
import io.locusttelemetry.engine.CustomMessage;
import io.locusttelemetry.engine.Events;
import io.locusttelemetry.engine.RunnerState;
import io.locusttelemetry.protocol.Spawn;
import java.util.Map;

/** What a {@link WorkerRunner}'s link to its master and its reporter see of it. */
final class WorkerHooks implements MasterLink.Worker, WorkerReporter.Worker {
    private final WorkerRunner runner;

    WorkerHooks(WorkerRunner runner) {
        this.runner = runner;
    }

    @Override
    public void acknowledged(boolean first) {
        runner.reporter().masterHeard();
        if (first) {
            runner.reporter().start();
        }
    }

    @Override
    public void reannounce(String why) {
        runner.reannounceOnControl(why);
    }

    @Override
    public void socketFailed(Throwable error) {
        runner.end(WorkerRunner.ExitReason.TRANSPORT_FAILED,
                "The worker's socket failed, it cannot reach its master any more: " + error);
    }

    @Override
    public void spawn(Spawn spawn) {
        runner.onSpawn(spawn);
    }

    @Override
    public void stop() {
        runner.onStop();
    }

    @Override
    public void quit() {
        runner.end(WorkerRunner.ExitReason.MASTER_QUIT, null);
    }

    @Override
    public boolean deliver(CustomMessage message) {
        return runner.deliver(message);
    }

    @Override
    public void heartbeatReply(String nodeId) {
        runner.reporter().masterHeartbeat();
        runner.environment().events().heartbeatReceived.fire(new Events.Heartbeat(nodeId, System.currentTimeMillis()));
    }

    @Override
    public void connectFailed() {
        runner.end(WorkerRunner.ExitReason.CONNECT_FAILED, null);
    }

    @Override
    public boolean ending() {
        return runner.isEnding();
    }

    @Override
    public RunnerState state() {
        return runner.state();
    }

    @Override
    public Map<String, Integer> userClassesCount() {
        // while stopping, also the users still ending their requests, as Locust's worker counts them
        return runner.state() == RunnerState.STOPPING ? runner.userClassesCountWithLeaving() : runner.userClassesCount();
    }

    @Override
    public void masterLost(String why) {
        runner.end(WorkerRunner.ExitReason.MASTER_LOST, why);
    }
}
