package io.locusttelemetry.cli.internal;

import static io.locusttelemetry.engine.OptionSpec.option;

import io.locusttelemetry.engine.CommandLineParser;

/** The options of distributed runs, with Locust's names and environment variables. */
public final class DistributedOptions {
    private DistributedOptions() {}

    public static void register(CommandLineParser parser) {
        parser.addArgumentGroup("Distributed options")
                .addArgument(option("--master").type(Boolean.class).env("LOCUST_MODE_MASTER")
                        .help("Run as the master of a cluster: workers (jlocust or Python Locust) connect to it and run the users").build())
                .addArgument(option("--master-bind-host").env("LOCUST_MASTER_BIND_HOST").defaultValue("*").paramLabel("HOST")
                        .help("Interface the master listens on (default *: all interfaces)").build())
                .addArgument(option("--master-bind-port").port(true).env("LOCUST_MASTER_BIND_PORT").defaultValue("5557")
                        .paramLabel("PORT").help("Port the master listens on (default 5557; 0 picks a free port)").build())
                .addArgument(option("--expect-workers").type(Integer.class).range(1, Integer.MAX_VALUE).env("LOCUST_EXPECT_WORKERS").defaultValue("1")
                        .paramLabel("NUMBER").help("Start the test once this many workers are connected (default 1)").build())
                .addArgument(option("--expect-workers-max-wait").type(Integer.class).range(0, Integer.MAX_VALUE).env("LOCUST_EXPECT_WORKERS_MAX_WAIT")
                        .defaultValue("0").paramLabel("SECONDS")
                        .help("Give up (exit 1) when the expected workers have not connected after SECONDS (default 0: wait forever)").build())
                .addArgument(option("--worker").type(Boolean.class).env("LOCUST_MODE_WORKER")
                        .help("Run as a worker: connect to a master (jlocust or Python Locust) and run the users it assigns").build())
                .addArgument(option("--master-host").env("LOCUST_MASTER_NODE_HOST").defaultValue("127.0.0.1").paramLabel("HOST")
                        .help("Host or address of the master a worker connects to (default 127.0.0.1)").build())
                .addArgument(option("--master-port").port(false).env("LOCUST_MASTER_NODE_PORT").defaultValue("5557")
                        .paramLabel("PORT").help("Port of the master a worker connects to (default 5557)").build())
                .addArgument(option("--processes").type(Integer.class).range(-1, Integer.MAX_VALUE).env("LOCUST_PROCESSES").paramLabel("NUMBER")
                        .help("Start NUMBER local worker processes (-1: one per CPU core) and a master in this process; "
                                + "with --worker, only the workers").build())
                .addArgument(option("--master-heartbeat-timeout").type(Integer.class).range(1, Integer.MAX_VALUE).defaultValue("60").paramLabel("SECONDS")
                        .help("A worker quits when a master that answers heartbeats stays silent this long (default 60)").build());
    }
}
