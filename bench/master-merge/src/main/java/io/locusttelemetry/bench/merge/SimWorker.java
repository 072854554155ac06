package io.locusttelemetry.bench.merge;

import io.locusttelemetry.protocol.NodeState;
import java.util.LinkedHashMap;
import java.util.Map;

/** One simulated worker process. */
final class SimWorker {
    final int number;
    final String nodeId;
    ZmtpDealer dealer;
    boolean acked;
    long index = -1;
    String state = NodeState.READY;
    Map<String, Long> userClassesCount = new LinkedHashMap<>();
    double lastSpawnTimestamp = Double.NEGATIVE_INFINITY;
    boolean spawnedOnce;
    long nextReady;
    /** nanoTime at which to connect again after the connection closed, 0 when not waiting. */
    long reconnectAt;
    long nextHeartbeat = Long.MAX_VALUE;
    long nextReport = Long.MAX_VALUE;
    /** nanoTime of the oldest heartbeat not answered yet, 0 when none. */
    long heartbeatPendingSince;
    /** nanoTime of the last heartbeat sent, 0 before the first. */
    long lastHeartbeatSent;
    double lastReportUnix;
    double loadSinceUnix = Double.NaN;
    boolean quitSent;

    SimWorker(int number, String nodeId) {
        this.number = number;
        this.nodeId = nodeId;
    }

    boolean running() {
        return NodeState.RUNNING.equals(state);
    }
}
