package io.locusttelemetry.engine;

import io.locusttelemetry.engine.thresholds.ThresholdOutcome;
import java.util.List;
import java.util.Map;

/**
 * Locust's event hooks, typed. One instance per {@link Environment}.
 */
public final class Events {
    /** After the environment and its runner exist (Locust's {@code init}). */
    public final EventHook<Environment> init = new EventHook<>("init");
    /** While the command line is being defined; plugins add their options here. */
    public final EventHook<CommandLineParser> initCommandLineParser = new EventHook<>("init_command_line_parser");
    /** A test starts (on the master and local runner; on a worker when its first spawn arrives). */
    public final EventHook<Environment> testStart = new EventHook<>("test_start");
    /** A test is about to stop; users still run. */
    public final EventHook<Environment> testStopping = new EventHook<>("test_stopping");
    /** A test has stopped. */
    public final EventHook<Environment> testStop = new EventHook<>("test_stop");
    /** Every user of the current target has been spawned. */
    public final EventHook<SpawningComplete> spawningComplete = new EventHook<>("spawning_complete");
    /** A request finished. Fired on the user's own thread: listeners must not block. */
    public final EventHook<RequestEvent> request = new EventHook<>("request");
    /** A task threw an exception it did not handle, or a user could not be created. */
    public final EventHook<UserError> userError = new EventHook<>("user_error");
    /** This process uses more than 90% of the machine's CPU. */
    public final EventHook<CpuWarning> cpuWarning = new EventHook<>("cpu_warning");
    /**
     * This process's load generation became saturated (users wake late, or GC pauses stall them),
     * so response times measure the generator rather than the system under test; or it recovered.
     * Fired once when it starts and once when it clears, by the telemetry module's monitor.
     */
    public final EventHook<GeneratorSaturation> generatorSaturation = new EventHook<>("generator_saturation");
    /**
     * An open-model class began dropping iterations: every user of its pool was busy and the pool
     * had its most users. Fired from the runner's once-a-second ticker (on a master from its
     * workers' reports), once when dropping starts and again only after a second without drops.
     */
    public final EventHook<IterationsDropped> iterationsDropped = new EventHook<>("iterations_dropped");
    /**
     * The test's thresholds were judged against its final statistics (once, when it ended, before
     * {@link #quitting}); only for a test that has thresholds.
     */
    public final EventHook<ThresholdResults> thresholds = new EventHook<>("thresholds");
    /** The process is about to exit; last chance to flush. */
    public final EventHook<Environment> quitting = new EventHook<>("quitting");
    /** Statistics were reset. */
    public final EventHook<Environment> resetStats = new EventHook<>("reset_stats");
    /** On a worker, before a stats report is sent: listeners may add keys to {@code data}. */
    public final EventHook<Report> reportToMaster = new EventHook<>("report_to_master");
    /** On the master, when a worker's stats report arrives. */
    public final EventHook<Report> workerReport = new EventHook<>("worker_report");
    /** A heartbeat was sent (worker) . */
    public final EventHook<Heartbeat> heartbeatSent = new EventHook<>("heartbeat_sent");
    /** A heartbeat was received (master from a worker, or a worker from the master). */
    public final EventHook<Heartbeat> heartbeatReceived = new EventHook<>("heartbeat_received");
    /** Periodic CPU and memory reading of this process. */
    public final EventHook<UsageMonitor> usageMonitor = new EventHook<>("usage_monitor");

    Events() {}

    /** Number of users once spawning finished. */
    public record SpawningComplete(int userCount) {}

    /**
     * An exception a task did not handle, or a user's constructor threw while the test spawned it
     * ({@code user} is then null).
     */
    public record UserError(User user, Throwable exception, String traceback) {}

    /** CPU usage above the warning threshold, in percent of one core. */
    public record CpuWarning(double cpuUsage, String message, long timestampMillis) {
        /** Locust's warning for {@code cpuUsage} above {@link AbstractRunner#CPU_WARNING_THRESHOLD}, timestamped now. */
        public static CpuWarning of(double cpuUsage) {
            String message = String.format(java.util.Locale.ROOT, "CPU usage above %.0f%%! This may constrain your throughput and may"
                    + " even give inconsistent response time measurements!", AbstractRunner.CPU_WARNING_THRESHOLD);
            return new CpuWarning(cpuUsage, message, System.currentTimeMillis());
        }
    }

    /**
     * A change of the generator's saturation.
     *
     * @param saturated          true when it starts, false when it clears
     * @param cause              {@code lag} (users woke late), {@code gc} (collections paused the JVM), or both
     *                           ({@code lag,gc}), over the episode so far
     * @param lagP99Millis       the worst one-second scheduling lag p99 so far in this episode, in ms
     * @param gcPauseMillis      the worst GC pause time of one second so far in this episode, in ms
     * @param cpuUtilization     the process's CPU in its busiest second of the episode, as a share of its cores (0 to 1)
     * @param thresholdMillis    the threshold either exceeded
     * @param saturatedIntervals seconds of the episode that were over the threshold
     * @param timestampMillis    when the change was seen
     */
    public record GeneratorSaturation(boolean saturated, String cause, double lagP99Millis, double gcPauseMillis, double cpuUtilization,
                                      double thresholdMillis, int saturatedIntervals, long timestampMillis) {}

    /**
     * Iterations of an open model were dropped.
     *
     * @param userClass the class whose pool was full
     * @param dropped   iterations of that class dropped in the last second
     * @param users     its users now
     * @param maxUsers  its most users (its share of {@code --max-users})
     */
    public record IterationsDropped(String userClass, long dropped, int users, int maxUsers, long timestampMillis) {}

    /** A worker stats report: the sending worker's id and the message data (mutable on the worker side). */
    public record Report(String clientId, Map<String, Object> data) {}

    /**
     * The outcome of a test's thresholds.
     *
     * @param outcomes  every threshold with its measured value, in the order given
     * @param abortedBy the abort-on-fail threshold that stopped the test early, or null
     */
    public record ThresholdResults(List<ThresholdOutcome> outcomes,
                                   ThresholdOutcome abortedBy) {
        public ThresholdResults {
            outcomes = List.copyOf(outcomes);
        }

        /** Whether every threshold held. */
        public boolean passed() {
            return ThresholdOutcome.allPassed(outcomes);
        }
    }

    /** A heartbeat between master and worker. */
    public record Heartbeat(String clientId, long timestampMillis) {}

    /** CPU in percent of one core, memory (resident set) in bytes. */
    public record UsageMonitor(double cpuUsage, long memoryUsage) {}

    void onListenerError(Runnable action) {
        for (EventHook<?> hook : all()) {
            hook.onListenerError(action);
        }
    }

    /** Every hook, for tooling. */
    public EventHook<?>[] all() {
        return new EventHook<?>[] {
            init, initCommandLineParser, testStart, testStopping, testStop, spawningComplete, request,
            userError, cpuWarning, generatorSaturation, iterationsDropped, thresholds, quitting, resetStats, reportToMaster,
            workerReport, heartbeatSent,
            heartbeatReceived, usageMonitor
        };
    }
}
