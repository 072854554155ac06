package io.locusttelemetry.cli.internal;

import io.locusttelemetry.cli.RunSettings;
import io.locusttelemetry.engine.RequestEvent;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.stats.ErrorSnapshot;
import io.locusttelemetry.engine.stats.StatsSnapshot;
import java.util.List;

/**
 * The exit status a run computed, as Locust's: 0, {@code --exit-code-on-error} (1) when a request
 * failed (not counting those the stop cut) or a user raised, 3 when a threshold failed (the {@code --check-*}
 * gates are thresholds) or a value regressed beyond {@code --max-regression}, 2 when an event listener raised
 * or a report could not be written.
 */
public final class ExitStatus {
    /** Exit code of a failed CI gate: a threshold or a regression. */
    public static final int CHECK_FAILED = 3;
    /** Exit code when the run itself went wrong: a listener raised, a report is missing. */
    public static final int RUN_FAILED = 2;

    private ExitStatus() {}

    /**
     * @param failedChecks receives one line per failed threshold and regression
     */
    public static int of(RunSettings settings, StatsSnapshot stats, List<Runner.ExceptionRecord> exceptions,
                         boolean listenerFailed, List<String> reportFailures, Verdict verdict, List<String> failedChecks) {
        failedChecks.addAll(verdict.failures());
        if (listenerFailed || !reportFailures.isEmpty()) {
            return RUN_FAILED;
        }
        if (!failedChecks.isEmpty()) {
            return CHECK_FAILED;
        }
        if (!exceptions.isEmpty() || stats.errors().stream().anyMatch(e -> !cutByStop(e))) {
            return settings.exitCodeOnError();
        }
        return 0;
    }

    /**
     * A request the stop cut (sent before the stop, unfinished when its grace was over) is counted
     * as a failure, but says nothing about the system under test: alone it does not fail the run.
     */
    private static boolean cutByStop(ErrorSnapshot error) {
        return RequestEvent.Failure.INTERRUPTED_BY_STOP.equals(error.error());
    }
}
