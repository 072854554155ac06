package io.locusttelemetry.protocol;

/**
 * Node state names used in heartbeats and in the master's bookkeeping. A worker reports only
 * {@link #READY}, {@link #SPAWNING} or {@link #RUNNING}; Python masters consider the test over
 * when no worker is in one of those, so no other names may be invented.
 */
public final class NodeState {

    /** Connected and idle. */
    public static final String READY = "ready";
    /** Applying a spawn message. */
    public static final String SPAWNING = "spawning";
    /** Users running at the requested counts. */
    public static final String RUNNING = "running";
    /** Test stopped (master bookkeeping). */
    public static final String STOPPED = "stopped";
    /** Stopping users (master bookkeeping). */
    public static final String STOPPING = "stopping";
    /** Shutting down (master bookkeeping). */
    public static final String CLEANUP = "cleanup";
    /** Master side only: heartbeats from the worker stopped arriving. */
    public static final String MISSING = "missing";

    private NodeState() {
    }
}
