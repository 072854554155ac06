package io.locusttelemetry.web;

import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.OptionSpec;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.telemetry.TelemetryCoordinator;
import io.locusttelemetry.web.internal.BadRequest;
import io.locusttelemetry.web.internal.PemTls;
import io.locusttelemetry.web.internal.Router;
import io.locusttelemetry.web.internal.Swarm;
import io.locusttelemetry.web.internal.TestControl;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The web UI and Locust's HTTP API over one environment's runner: start, watch and steer tests in
 * a browser, or drive them with Locust's routes ({@code POST /swarm}, {@code GET /stop},
 * {@code GET /stats/requests}, ...) as scripts written against a Locust master do. Tests start and
 * stop on the same runner, as often as wanted.
 *
 * <pre>{@code
 * WebUi ui = WebUi.builder(env).settings(WebSettings.loopback()).reports(reports).start();
 * System.out.println(ui.url());
 * }</pre>
 */
public final class WebUi implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final TestControl control;
    private final WebSettings settings;
    private final Environment env;
    private final List<OptionSpec> formOptions;

    private WebUi(Builder b) {
        this.env = b.env;
        this.settings = b.settings;
        this.formOptions = List.copyOf(b.formOptions);
        TelemetryCoordinator telemetry = b.telemetry;
        this.control = new TestControl(env, options -> {
            if (telemetry != null) {
                telemetry.checkOptions(options);
            }
        });
        // a few platform threads: the UI is a page polling every 2 s, not a service under load
        QueuedThreadPool pool = new QueuedThreadPool(16, 2, 60_000, -1, null, null,
                NamedThreads.daemon("jlocust-web"));
        pool.setDaemon(true);
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (settings.tls()) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            char[] password = Long.toHexString(System.nanoTime()).toCharArray();
            tls.setKeyStore(PemTls.keyStore(settings.tlsCert(), settings.tlsKey(), password));
            tls.setKeyStorePassword(new String(password));
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost(settings.host().isEmpty() ? null : settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        server.setHandler(new Router(new Router.Context(env, control, telemetry, b.reports, b.logs, settings, formOptions,
                b.defaults, b.locustfile, b.version)));
        server.setStopTimeout(1000);
    }

    public static Builder builder(Environment env) {
        return new Builder(env);
    }

    private WebUi bind() {
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            Throwable cause = e instanceof java.io.IOException && e.getCause() != null ? e.getCause() : e;
            if (e instanceof BindException || cause instanceof BindException) {
                throw new IllegalStateException("Cannot serve the web UI on " + (settings.host().isEmpty() ? "*" : settings.host()) + ":"
                        + settings.port() + ": the port is in use (choose another --web-port)");
            }
            throw new IllegalStateException("Cannot start the web UI: " + e.getMessage(), e);
        }
        return this;
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The URL a person opens: on this machine when listening on all interfaces or loopback. */
    public String url() {
        String host = settings.host().isEmpty() || settings.host().equals("0.0.0.0") ? "127.0.0.1"
                : settings.host().contains(":") && !settings.host().startsWith("[") ? "[" + settings.host() + "]" : settings.host();
        return (settings.tls() ? "https" : "http") + "://" + host + ":" + port() + settings.basePath() + "/";
    }

    /**
     * Starts a test as a browser's start form would ({@code --autostart}): users, spawn rate, and a
     * run time in seconds or null.
     *
     * @throws IllegalArgumentException when the runner cannot start it now (e.g. no worker yet)
     */
    public String startTest(int users, double spawnRate, Long runTimeSeconds) {
        try {
            return control.swarm(new Swarm(users, spawnRate, null, runTimeSeconds, null, env.parsedOptions()));
        } catch (BadRequest | TestControl.Conflict e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Stops the running test (the runner stays for the next). */
    public void stopTest() {
        control.stop();
    }

    @Override
    public void close() {
        stopQuietly();
        control.close();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            // closing: nothing left to do with a server that does not stop
        }
    }

    /** Builds and binds a {@link WebUi}. */
    public static final class Builder {
        private final Environment env;
        private WebSettings settings = WebSettings.loopback();
        private TelemetryCoordinator telemetry;
        private RunReports reports;
        private LogTail logs = new LogTail();
        private List<OptionSpec> formOptions = List.of();
        private final Map<String, Object> defaults = new LinkedHashMap<>();
        private String locustfile = "";
        private String version = "";

        private Builder(Environment env) {
            this.env = Objects.requireNonNull(env, "env");
        }

        public Builder settings(WebSettings settings) {
            this.settings = Objects.requireNonNull(settings);
            return this;
        }

        /** The telemetry shown beside the stats (run id, recorders, deliveries, slowest traces); null for none. */
        public Builder telemetry(TelemetryCoordinator telemetry) {
            this.telemetry = telemetry;
            return this;
        }

        /** The downloads: CSV, HTML report, JSON. */
        public Builder reports(RunReports reports) {
            this.reports = Objects.requireNonNull(reports);
            return this;
        }

        public Builder logs(LogTail logs) {
            this.logs = Objects.requireNonNull(logs);
            return this;
        }

        /** Options the start form sets per test: those of the registry marked {@link OptionSpec#webUi()}. */
        public Builder formOptions(List<OptionSpec> options) {
            this.formOptions = options.stream().filter(OptionSpec::webUi).toList();
            return this;
        }

        /** What the start form shows first: {@code -u}, {@code -r} and {@code -t} as given. */
        public Builder defaults(Integer users, Double spawnRate, String runTime) {
            defaults.put("user_count", users);
            defaults.put("spawn_rate", spawnRate);
            defaults.put("run_time", runTime);
            return this;
        }

        public Builder locustfile(String locustfile, String version) {
            this.locustfile = locustfile == null ? "" : locustfile;
            this.version = version == null ? "" : version;
            return this;
        }

        /** Binds the server and serves. @throws IllegalStateException when the port is in use or TLS cannot be set up */
        public WebUi start() {
            Objects.requireNonNull(reports, "reports");
            if (env.runner() == null) {
                throw new IllegalStateException("create the runner before the web UI");
            }
            try {
                return new WebUi(this).bind();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    /** The options a start form changes, for tests. */
    ParsedOptions options() {
        return env.parsedOptions();
    }
}
