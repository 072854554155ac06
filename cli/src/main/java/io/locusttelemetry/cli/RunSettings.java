package io.locusttelemetry.cli;

import io.locusttelemetry.cli.internal.ByteSizes;
import io.locusttelemetry.cli.internal.CliException;
import io.locusttelemetry.engine.ArrivalDistribution;
import io.locusttelemetry.engine.ArrivalPlan;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.TagFilter;
import io.locusttelemetry.engine.Timespan;
import io.locusttelemetry.engine.UrlRedaction;
import io.locusttelemetry.engine.User;
import io.locusttelemetry.engine.http.HttpSession;
import java.util.List;

/**
 * What one test run does: its load, the reports at its end and how its exit status is decided.
 * Immutable; {@link #from} reads and checks the options, so that every bad value is reported
 * before a test starts.
 *
 * @param users                peak user count ({@code -u}); ignored under a load shape
 * @param spawnRate            users started per second ({@code -r}); ignored under a load shape
 * @param runTimeSeconds       {@code -t} in seconds, 0 to run until stopped
 * @param host                 {@code -H}, or null for each user class's own host
 * @param stopTimeout          seconds users get to finish their task when the test stops
 * @param maxBodySize          {@code --max-body-size}: the largest response body a user reads, in bytes
 * @param tags                 {@code --tags} and {@code --exclude-tags}
 * @param json                 {@code --json}: the final statistics as JSON instead of tables
 * @param onlySummary          only the final tables, none during the run
 * @param resetStats           reset the statistics once spawning completed
 * @param csvPrefix            {@code --csv}, or null
 * @param htmlFile             {@code --html}, or null
 * @param exitCodeOnError      exit code when a request failed or a user raised
 * @param checks               thresholds (the --check-* gates among them), JUnit XML and JSON files, baseline comparison
 * @param arrivalRate          {@code --arrival-rate}: an open model's iterations per second, or null
 * @param maxUsers             {@code --max-users}: the most users of an open model, or null for its default
 * @param arrivalDistribution  {@code --arrival-distribution}
 */
public record RunSettings(
        int users,
        double spawnRate,
        long runTimeSeconds,
        String host,
        double stopTimeout,
        long maxBodySize,
        TagFilter tags,
        boolean json,
        boolean onlySummary,
        boolean resetStats,
        String csvPrefix,
        String htmlFile,
        int exitCodeOnError,
        ResultChecks checks,
        Double arrivalRate,
        Integer maxUsers,
        ArrivalDistribution arrivalDistribution) {

    /**
     * Reads the run's options.
     *
     * @param shape whether a load shape drives the test (then {@code -u} and {@code -r} are not checked)
     * @throws CliException one line naming the option and the value
     */
    public static RunSettings from(ParsedOptions o, boolean shape) {
        int users = o.has("num_users") ? o.getInt("num_users", 1) : 1;
        double spawnRate = o.has("spawn_rate") ? o.getDouble("spawn_rate", 1) : 1;
        if (!shape) {
            if (users <= 0) {
                throw new CliException("Invalid --users " + users + ": it must be at least 1");
            }
            if (!(spawnRate > 0)) {
                throw new CliException("Invalid --spawn-rate " + spawnRate + ": it must be above 0");
            }
        }
        long runTime;
        try {
            runTime = o.has("run_time") ? Timespan.parseSeconds(o.getString("run_time"), "--run-time") : 0;
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        if (o.has("run_time") && runTime <= 0) {
            throw new CliException("Invalid --run-time '" + o.getString("run_time") + "': it must be above 0");
        }
        String host = o.getString("host");
        if (host != null && host.isEmpty()) {
            host = null;
        }
        if (host != null && !HttpSession.isHttpUrl(host)) {
            throw new CliException("Invalid --host '" + UrlRedaction.redact(host) + "': use a URL such as http://localhost:8080");
        }
        double stopTimeout = o.getDouble("stop_timeout", 0);
        if (stopTimeout < 0) {
            throw new CliException("Invalid --stop-timeout " + stopTimeout + ": it must be 0 or more");
        }
        long maxBodySize = ByteSizes.parse(o.getString("max_body_size"), "--max-body-size", HttpSession.DEFAULT_MAX_BODY_SIZE);
        TagFilter tags = TagFilter.of(o.getList("tags"), o.getList("exclude_tags"));
        boolean json = o.getBoolean("json", false);
        Double arrivalRate = optionalDouble(o, "arrival_rate");
        if (arrivalRate != null && !(arrivalRate > 0 && arrivalRate <= ArrivalPlan.MAX_RATE)) {
            throw new CliException("Invalid --arrival-rate " + arrivalRate + ": it must be above 0 and at most "
                    + (long) ArrivalPlan.MAX_RATE + " iterations per second");
        }
        Integer maxUsers = o.has("max_users") ? o.getInt("max_users", 0) : null;
        ArrivalDistribution distribution;
        try {
            distribution = ArrivalDistribution.parse(o.getString("arrival_distribution", "uniform"));
        } catch (IllegalArgumentException e) {
            throw new CliException("Invalid --arrival-distribution " + e.getMessage());
        }
        return new RunSettings(users, spawnRate, runTime, host, stopTimeout, maxBodySize, tags, json,
                o.getBoolean("only_summary", false) || json, o.getBoolean("reset_stats", false),
                o.getString("csv_prefix"), o.getString("html_file"), o.getInt("exit_code_on_error", 1),
                ResultChecks.from(o), arrivalRate, maxUsers, distribution);
    }

    /**
     * The open model of {@code classes} from these settings and their {@link io.locusttelemetry.engine.ArrivalRate}s,
     * or null for a closed model.
     *
     * @throws CliException one line naming what cannot run
     */
    public ArrivalPlan arrivalPlan(List<Class<? extends User>> classes) {
        try {
            return ArrivalPlan.resolve(classes, arrivalRate, maxUsers, arrivalDistribution);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /**
     * These settings with the thresholds that {@code @Threshold} declares on the test's user classes.
     *
     * @throws CliException naming the class of a threshold that does not parse
     */
    public RunSettings withThresholdsOf(List<Class<? extends User>> userClasses) {
        return withChecks(checks.withThresholdsOf(userClasses));
    }

    /** These settings with other checks. */
    public RunSettings withChecks(ResultChecks other) {
        return new RunSettings(users, spawnRate, runTimeSeconds, host, stopTimeout, maxBodySize, tags, json, onlySummary, resetStats,
                csvPrefix, htmlFile, exitCodeOnError, other, arrivalRate, maxUsers, arrivalDistribution);
    }

    /** Applies the settings an environment's users read: host, tags, stop timeout and body size limit. */
    public void applyTo(Environment environment) {
        environment.host(host);
        environment.tags(tags);
        environment.stopTimeout(stopTimeout);
        environment.maxBodySize(maxBodySize);
    }

    private static Double optionalDouble(ParsedOptions o, String dest) {
        return o.has(dest) ? o.getDouble(dest, 0) : null;
    }
}
