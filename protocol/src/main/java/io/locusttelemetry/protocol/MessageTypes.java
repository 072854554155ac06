package io.locusttelemetry.protocol;

/** The built-in Locust message type names. */
public final class MessageTypes {

    /** Worker to master: announces the worker; data is its version string or -1. */
    public static final String CLIENT_READY = "client_ready";
    /** Master to worker: answer to client_ready. */
    public static final String ACK = "ack";
    /** Worker to master every second; latest masters answer each with a nil-data heartbeat. */
    public static final String HEARTBEAT = "heartbeat";
    /** Worker to master every three seconds: statistics delta. */
    public static final String STATS = "stats";
    /** Master to worker: absolute per-class user targets. */
    public static final String SPAWN = "spawn";
    /** Worker to master: a spawn message was received. */
    public static final String SPAWNING = "spawning";
    /** Worker to master after each spawn; latest masters also broadcast it to workers. */
    public static final String SPAWNING_COMPLETE = "spawning_complete";
    /** Worker to master: answer to stop. */
    public static final String CLIENT_STOPPED = "client_stopped";
    /** Master to worker: stop the users but stay connected. */
    public static final String STOP = "stop";
    /** Both directions: the sender shuts down, or the receiver must. */
    public static final String QUIT = "quit";
    /** Master to worker: recreate the socket with the same identity. */
    public static final String RECONNECT = "reconnect";
    /** Worker to master: an unhandled exception in a user task. */
    public static final String EXCEPTION = "exception";
    /** Worker to master (latest): the worker's retained log lines. */
    public static final String LOGS = "logs";
    /** Locustfile distribution (latest): request from a temporary worker socket, and the reply. */
    public static final String LOCUSTFILE = "locustfile";
    /** Master to worker (latest): user class attribute changes from the web UI. */
    public static final String UPDATE_USER_CLASS = "update_user_class";

    private MessageTypes() {
    }
}
