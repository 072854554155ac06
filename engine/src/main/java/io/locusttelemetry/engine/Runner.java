package io.locusttelemetry.engine;

import java.util.List;
import java.util.Map;

/**
 * Runs users: locally, as a master that dispatches users to workers, or as a worker. Locust's
 * {@code Runner} API.
 */
public interface Runner {

    /** Which kind of runner this is. */
    enum Role {
        LOCAL("LocalRunner"), MASTER("MasterRunner"), WORKER("WorkerRunner");

        private final String className;

        Role(String className) {
            this.className = className;
        }

        /** Locust's class name of the role, e.g. {@code LocalRunner}. */
        public String className() {
            return className;
        }
    }

    Role role();

    /** {@code local}, {@code master}, or {@code worker-<index>} (index from the master's ack). */
    String sourceId();

    RunnerState state();

    /** Users running now (on a master: over all workers). */
    int userCount();

    /** Users running now per user class name. */
    Map<String, Integer> userClassesCount();

    /** Target user count of the current test (0 when idle). */
    int targetUserCount();

    /** Starts (or changes) a test with {@code userCount} users spawned at {@code spawnRate} per second. */
    void start(int userCount, double spawnRate);

    /**
     * Starts a test as {@link #start(int, double)} does, with only the user classes named in
     * {@code weights}, each with its weight (Locust's class picker); a fixed-count class keeps its
     * fixed count. The choice holds for later tests until the next one. While a test runs, only the
     * same choice is accepted (stop it to choose other classes).
     *
     * @throws IllegalArgumentException for an unknown class, a negative weight or no user to run
     * @throws IllegalStateException    when a test with other classes runs
     */
    default void start(int userCount, double spawnRate, Map<String, Integer> weights) {
        throw new UnsupportedOperationException(role().className() + " does not choose user classes");
    }

    /** Lets the environment's {@link LoadTestShape} drive the user count. */
    default void startShape() {
        throw new UnsupportedOperationException(role().className() + " does not run load shapes");
    }

    /**
     * Whether the end of a load shape quits the runner (headless, the default) or only stops the
     * test, so that a web UI can start the next one.
     */
    default void quitWhenShapeEnds(boolean quit) {}

    /** Stops the users; the runner stays and can start again. */
    void stop();

    /**
     * Resets the statistics and the exceptions table of the running (or last) test and fires
     * {@code reset_stats}, as Locust's {@code /stats/reset} does. The users keep running.
     */
    default void resetStats() {
        throw new UnsupportedOperationException(role().className() + " does not reset statistics");
    }

    /** The workers of a master (id, state, users, CPU, memory); empty for other runners. */
    default List<? extends WorkerSummary> workers() {
        return List.of();
    }

    /** Stops everything for good (on a master: also tells the workers to quit). */
    void quit();

    /**
     * Sends a custom message: from a worker to the master, from the master to every worker, and
     * locally back to this runner's own handler (as Locust does).
     */
    void sendMessage(String type, Object data);

    /** Sends a custom message to one worker ({@code clientId} = its node id); locally same as above. */
    void sendMessage(String type, Object data, String clientId);

    /**
     * Adds a handler of a custom message type. A type may have several handlers (the telemetry's
     * and a locustfile's, say): each message runs all of them, in the order they were registered,
     * and one that throws is logged and does not stop the others. Register them in an init hook
     * ({@link OnInit}) to have them in place before any message arrives.
     */
    void registerMessage(String type, CustomMessage.Handler handler);

    /** Unhandled exceptions of users, grouped by stack trace. */
    List<ExceptionRecord> exceptions();

    /**
     * One row of the exceptions table.
     *
     * @param nodes the workers (or {@code local}) where it happened
     */
    record ExceptionRecord(long count, String message, String traceback, List<String> nodes) {}
}
