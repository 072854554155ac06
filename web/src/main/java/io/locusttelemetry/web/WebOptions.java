package io.locusttelemetry.web;

import static io.locusttelemetry.engine.OptionSpec.option;

import io.locusttelemetry.engine.CommandLineParser;

/** The web UI's options, with Locust's names and environment variables where Locust has them. */
public final class WebOptions {
    /** Heading of these options in {@code --help}. */
    public static final String GROUP_TITLE = "Web UI options";
    public static final int DEFAULT_PORT = 8089;

    private WebOptions() {}

    public static void register(CommandLineParser parser) {
        parser.addArgumentGroup(GROUP_TITLE)
                .addArgument(option("--headless").type(Boolean.class).env("LOCUST_HEADLESS")
                        .help("Run without the web UI and start the test at once (-u, -r, -t say how); `./jlocust demo` is"
                                + " headless unless given --web").build())
                .addArgument(option("--autostart").type(Boolean.class).env("LOCUST_AUTOSTART")
                        .help("Start the test at once (-u, -r, -t) and keep the web UI live").build())
                .addArgument(option("--autoquit").type(Integer.class).range(0, Integer.MAX_VALUE).env("LOCUST_AUTOQUIT")
                        .paramLabel("SECONDS").help("With --autostart: quit this many seconds after the test ended"
                                + " (default: keep the web UI up until Ctrl-C)").build())
                .addArgument(option("--web").type(Boolean.class)
                        .help("With `demo`: run the demo in the web UI instead of headless").build())
                .addArgument(option("--web-host").env("LOCUST_WEB_HOST").defaultValue("*").paramLabel("IP")
                        .help("Interface the web UI listens on (default * = all interfaces, as Locust; 127.0.0.1 for this"
                                + " machine only)").build())
                .addArgument(option("--web-port").alias("-P").port(true).env("LOCUST_WEB_PORT")
                        .defaultValue(String.valueOf(DEFAULT_PORT)).paramLabel("PORT")
                        .help("Port of the web UI (default 8089; 0 picks a free port)").build())
                .addArgument(option("--web-base-path").env("LOCUST_WEB_BASE_PATH").paramLabel("PATH")
                        .help("Serve the web UI under this path, e.g. /locust (behind a reverse proxy)").build())
                .addArgument(option("--web-login").env("LOCUST_WEB_LOGIN").paramLabel("USER:PASSWORD")
                        .help("Protect the web UI and its API with this user and password (HTTP basic)").build())
                .addArgument(option("--tls-cert").env("LOCUST_TLS_CERT").paramLabel("FILE")
                        .help("PEM certificate (chain) to serve the web UI over HTTPS, with --tls-key").build())
                .addArgument(option("--tls-key").env("LOCUST_TLS_KEY").paramLabel("FILE")
                        .help("PEM private key (PKCS#8, unencrypted) of --tls-cert").build())
                .addArgument(option("--lt-grafana-url").env("LOCUST_TELEMETRY_GRAFANA_URL").paramLabel("URL")
                        .help("Grafana with the shipped dashboards (deploy/grafana): the web UI links to this run in them").build())
                .addArgument(option("--lt-trace-url-template").env("LOCUST_TELEMETRY_TRACE_URL_TEMPLATE").paramLabel("URL")
                        .help("Link of a trace in your trace viewer, e.g. https://tempo.example/trace/{trace_id}; the web UI"
                                + " links the slowest traced requests with it").build());
    }
}
