package io.locusttelemetry.cli.internal;

import static io.locusttelemetry.engine.OptionSpec.option;

import io.locusttelemetry.engine.ArrivalPlan;
import io.locusttelemetry.engine.CommandLineParser;
import io.locusttelemetry.engine.http.HttpSession;
import java.util.List;

/** The options of jlocust itself, with Locust's names, environment variables and defaults. */
public final class CoreOptions {
    private CoreOptions() {}

    public static void register(CommandLineParser parser) {
        parser.addArgumentGroup("Common options")
                .addArgument(option("--locustfile").alias("-f").env("LOCUST_LOCUSTFILE").paramLabel("FILE")
                        .help("Locustfile: a .java file (compiled on the fly), several separated by commas, a folder of .java "
                                + "files, a .jar, or a user class name on the classpath. Default: locustfile.java").build())
                .addArgument(option("--config").env("LOCUST_CONFIG").paramLabel("FILE")
                        .help("Config file (Locust's locust.conf format: key = value). Default: ~/.locust.conf, ./locust.conf").build())
                .addArgument(option("--host").alias("-H").env("LOCUST_HOST").paramLabel("URL")
                        .help("Host to load test, e.g. http://10.21.32.33. Overrides the users' @Host").build())
                .addArgument(option("--users").alias("-u").dest("num_users").type(Integer.class).env("LOCUST_USERS")
                        .paramLabel("NUMBER").help("Peak number of concurrent users (default 1)").build())
                .addArgument(option("--spawn-rate").alias("-r").type(Double.class).env("LOCUST_SPAWN_RATE")
                        .paramLabel("RATE").help("Users started per second (default 1)").build())
                .addArgument(option("--run-time").alias("-t").env("LOCUST_RUN_TIME").paramLabel("TIME")
                        .help("Stop after this time, e.g. 300s, 20m, 3h, 1h30m. Default: run until Ctrl-C").build())
                .addArgument(option("--list").alias("-l").dest("list_commands").type(Boolean.class)
                        .help("List the user classes and exit").build())
                .addArgument(option("--show-task-ratio").type(Boolean.class)
                        .help("Print the share of each task per user class and exit").build())
                .addArgument(option("--show-task-ratio-json").type(Boolean.class)
                        .help("Print the task ratios as JSON and exit").build())
                .addArgument(option("--version").alias("-V").type(Boolean.class).help("Print the version and exit").build())
                .addArgument(option("--help").alias("-h").type(Boolean.class).help("Show this help and exit").build())
                .addArgument(option("--help-markdown").type(Boolean.class).hidden(true)
                        .help("Print the configuration reference (every option) as Markdown and exit").build());

        parser.addArgumentGroup("Open model options")
                .addArgument(option("--arrival-rate").type(Double.class).env("LOCUST_ARRIVAL_RATE").paramLabel("RATE").webUi(true)
                        .help("Open model: start RATE task iterations per second in total, whatever they take (the user classes"
                                + " share it by weight; overrides @ArrivalRate). Default: a closed model of -u users").build())
                .addArgument(option("--max-users").type(Integer.class).range(1, ArrivalPlan.MAX_USERS).env("LOCUST_MAX_USERS")
                        .paramLabel("NUMBER").help("Most users an open model may run at once, shared by weight (default: each"
                                + " class's @ArrivalRate maxUsers, else " + ArrivalPlan.DEFAULT_MAX_USERS + "); an iteration that finds"
                                + " them all busy is dropped and counted").build())
                .addArgument(option("--arrival-distribution").env("LOCUST_ARRIVAL_DISTRIBUTION").defaultValue("uniform")
                        .paramLabel("NAME").help("How an open model spaces its starts: uniform (evenly) or poisson (random,"
                                + " independent arrivals)").build());

        parser.addArgumentGroup("Tag options")
                .addArgument(option("--tags").alias("-T").type(List.class).env("LOCUST_TAGS").paramLabel("TAG")
                        .help("Only run tasks with one of these tags (comma list or repeated)").build())
                .addArgument(option("--exclude-tags").alias("-E").type(List.class).env("LOCUST_EXCLUDE_TAGS")
                        .paramLabel("TAG").help("Skip tasks with one of these tags").build());

        parser.addArgumentGroup("Request statistics options")
                .addArgument(option("--csv").dest("csv_prefix").env("LOCUST_CSV").paramLabel("PREFIX")
                        .help("Write PREFIX_stats.csv, PREFIX_failures.csv, PREFIX_exceptions.csv and PREFIX_stats_history.csv"
                                + " (and, for an open model or paced users, PREFIX_intended_stats.csv and PREFIX_iterations.csv)").build())
                .addArgument(option("--csv-full-history").type(Boolean.class).env("LOCUST_CSV_FULL_HISTORY")
                        .help("Write every entry, not only the total, to _stats_history.csv").build())
                .addArgument(option("--print-stats").type(Boolean.class).env("LOCUST_PRINT_STATS")
                        .help("Print the stats table every 2 seconds (the default of a headless run; off in the web UI unless given)").build())
                .addArgument(option("--only-summary").type(Boolean.class).env("LOCUST_ONLY_SUMMARY")
                        .help("Only print the summary tables at the end").build())
                .addArgument(option("--reset-stats").type(Boolean.class).env("LOCUST_RESET_STATS")
                        .help("Reset statistics once spawning is complete").build())
                .addArgument(option("--html").dest("html_file").env("LOCUST_HTML").paramLabel("FILE")
                        .help("Write an HTML report with charts to FILE").build())
                .addArgument(option("--json").type(Boolean.class).env("LOCUST_JSON")
                        .help("Print the final statistics as JSON on stdout (instead of the tables); with thresholds or "
                                + "--compare-to, an object with stats, thresholds and comparison").build())
                .addArgument(option("--json-file").env("LOCUST_JSON_FILE").paramLabel("FILE")
                        .help("Write the final statistics as JSON (Locust's format) to FILE (.json is added when FILE does not "
                                + "end with it), e.g. a baseline for --compare-to").build());

        parser.addArgumentGroup("Logging options")
                .addArgument(option("--loglevel").alias("-L").env("LOCUST_LOGLEVEL").defaultValue("INFO").paramLabel("LEVEL")
                        .help("DEBUG, INFO, WARNING, ERROR or CRITICAL").build())
                .addArgument(option("--logfile").env("LOCUST_LOGFILE").paramLabel("FILE")
                        .help("Write the log to FILE instead of stderr").build());

        parser.addArgumentGroup("Run options")
                .addArgument(option("--stop-timeout").alias("-s").type(Double.class).env("LOCUST_STOP_TIMEOUT").defaultValue("0")
                        .paramLabel("SECONDS").help("Seconds users get to finish their task when the test stops (default 0); a request "
                                + "already sent then gets 2 s more, or counts as a failure 'interrupted by stop'").build())
                .addArgument(option("--exit-code-on-error").type(Integer.class).range(0, 255).env("LOCUST_EXIT_CODE_ON_ERROR")
                        .defaultValue("1").paramLabel("CODE").help("Exit code when a request failed or a user raised (default 1)").build())
                .addArgument(option("--max-body-size").env("LOCUST_MAX_BODY_SIZE").paramLabel("SIZE")
                        .help("Largest HTTP response body a user reads, e.g. 64MiB, 512KiB, 1GiB or bytes; a larger one fails "
                                + "the request (default " + (HttpSession.DEFAULT_MAX_BODY_SIZE >> 20) + "MiB)").build());

        parser.addArgumentGroup("Thresholds and CI options")
                .addArgument(option("--threshold").type(List.class).env("LOCUST_THRESHOLD").paramLabel("EXPR")
                        .help("A threshold the run must hold, e.g. 'p95<300', 'GET /cart: p99<800', 'fail_ratio<1%', 'rps>=100', "
                                + "'p99<800 abort-on-fail delay=10s' (stops the test at the first failing check every 2 s, from 10 s "
                                + "after its start). Repeat it or separate with commas; a failed one exits with 3 (see docs/ci.md)").build())
                .addArgument(option("--junit-xml").dest("junit_xml").env("LOCUST_JUNIT_XML").paramLabel("FILE")
                        .help("Write a JUnit XML report to FILE: one test case per threshold (or 'no request failed' without "
                                + "thresholds) and per endpoint compared with --max-regression").build())
                .addArgument(option("--compare-to").env("LOCUST_COMPARE_TO").paramLabel("FILE")
                        .help("Compare p50/p95/p99, rps and failure ratio per endpoint with a baseline written by --json-file "
                                + "(or Locust's --json), on the console and in the reports").build())
                .addArgument(option("--max-regression").env("LOCUST_MAX_REGRESSION").paramLabel("PERCENT")
                        .help("With --compare-to: exit with 3 when a percentile or the failure ratio got worse by more than "
                                + "PERCENT (e.g. 10%), above a noise floor: 5 ms, 0.1 percentage points, and enough requests in both "
                                + "runs (see docs/ci.md)").build())
                .addArgument(option("--check-fail-ratio").type(Double.class).env("LOCUST_CHECK_FAIL_RATIO").paramLabel("RATIO")
                        .help("CI gate: exit with 3 when the failure ratio (0..1) is above RATIO (the threshold fail_ratio<=RATIO)").build())
                .addArgument(option("--check-avg-response-time").type(Double.class).env("LOCUST_CHECK_AVG_RESPONSE_TIME")
                        .paramLabel("MS").help("CI gate: exit with 3 when the average response time is above MS (the threshold avg<=MS)").build())
                .addArgument(option("--check-rps").type(Double.class).env("LOCUST_CHECK_RPS").paramLabel("RPS")
                        .help("CI gate: exit with 3 when the total requests per second are below RPS (the threshold rps>=RPS)").build());
    }
}
