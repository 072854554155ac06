package io.locusttelemetry.cli;

import io.locusttelemetry.cli.internal.CliException;
import io.locusttelemetry.cluster.MasterRunner;
import io.locusttelemetry.cluster.WorkerRunner;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.ParsedOptions;
import io.locusttelemetry.engine.Runner;
import io.locusttelemetry.engine.process.CompilerDirectives;
import io.locusttelemetry.engine.process.NamedThreads;
import io.locusttelemetry.protocol.TransportException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed side of the {@code jlocust} command: which runner a run gets ({@code --master},
 * {@code --worker} or local), the worker's whole run, and the local worker processes of
 * {@code --processes}. Kept out of {@link Main} so the standalone flow stays a plain sequence.
 */
final class DistributedMode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("jlocust");

    private final ParsedOptions options;
    private final String[] originalArgs;
    private final List<Process> children = new ArrayList<>();
    private Thread childReaper;

    DistributedMode(ParsedOptions options, String[] originalArgs) {
        this.options = options;
        this.originalArgs = originalArgs.clone();
        if (isMaster() && isWorker()) {
            throw new CliException("The --master argument cannot be combined with --worker", 1);
        }
        checkHost("--master-host", options.getString("master_host", "127.0.0.1"), false);
        checkHost("--master-bind-host", options.getString("master_bind_host", "*"), true);
    }

    /** A host name, an IPv4 address or an IPv6 address (in brackets or not); {@code *} for all interfaces where allowed. */
    private static void checkHost(String option, String host, boolean wildcard) {
        if (wildcard && (host.equals("*") || host.isEmpty())) {
            return;
        }
        if (!HOST.matcher(host).matches()) {
            throw new CliException("Invalid " + option + " '" + host + "': use a host name or an IP address"
                    + (wildcard ? " (or * for all interfaces)" : ""));
        }
    }

    private static final java.util.regex.Pattern HOST =
            java.util.regex.Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})|\\[?[0-9A-Fa-f:.]{2,45}(?:%[\\w.-]+)?]?");

    boolean isMaster() {
        return options.getBoolean("master", false) || !isWorker() && processes() != 0;
    }

    boolean isWorker() {
        return options.getBoolean("worker", false);
    }

    /** Local worker processes to start: 0 for none. */
    int processes() {
        int n = options.getInt("processes", 0);
        return n == -1 ? Runtime.getRuntime().availableProcessors() : n;
    }

    /**
     * The driver of this process's test when it is not a worker: a master (binding its socket) or a
     * local runner; the locustfile's init hooks have run when it returns.
     */
    RunnerDriver driver(Environment env) {
        RunnerDriver driver = masterOrLocal(env);
        runInitHooks(env, driver.runner());
        return driver;
    }

    /** The locustfile's {@code @OnInit} methods; one that fails ends the run with its error. */
    private static void runInitHooks(Environment env, Runner runner) {
        try {
            env.runInitHooks();
        } catch (IllegalStateException e) {
            runner.quit();
            throw new CliException(e.getMessage(), 1);
        }
    }

    private RunnerDriver masterOrLocal(Environment env) {
        if (!isMaster()) {
            return RunnerDriver.local(env);
        }
        MasterRunner master = createMaster(env);
        return new RunnerDriver() {
            @Override
            public Runner runner() {
                return master;
            }

            @Override
            public void start(int users, double spawnRate) {
                awaitWorkers(master);
                master.start(users, spawnRate);
            }

            @Override
            public void startShape() {
                awaitWorkers(master);
                master.startShape();
            }

            @Override
            public void awaitQuit() {
                master.quitted().join();
            }

            @Override
            public void close() {
                DistributedMode.this.close();
            }
        };
    }

    /** What a master does for every message (decode, check, merge): C2 may compile it. */
    static final List<String> MASTER_MESSAGE_PATH = List.of("io/locusttelemetry/protocol/*.*", "io/locusttelemetry/cluster/*.*",
            "io/locusttelemetry/engine/stats/*.*");

    private MasterRunner createMaster(Environment env) {
        String bindHost = options.getString("master_bind_host", "*");
        int bindPort = options.getInt("master_bind_port", 5557);
        // a master's code runs rarely, mostly in system calls: C2 reached it minutes in and spent
        // more CPU compiling it than it saved (1.1 s a minute with 50 workers, for the same
        // socket-thread time), so the master stays in C1; but every worker report and heartbeat
        // goes through the codec, the report check and the merge, which C2 runs 3x faster (a
        // report: 0.13 against 0.40 ms), what a master of thousands of workers needs
        CompilerDirectives.excludeFromC2("jlocust.master.c2", MASTER_MESSAGE_PATH, "*.*");
        MasterRunner master;
        try {
            master = MasterRunner.bind(env, bindHost, bindPort);
        } catch (TransportException e) {
            throw new CliException(e.getMessage() + " (is another master running? choose another --master-bind-port)");
        }
        master.quitWhenLastWorkerLeaves(true);
        int n = processes();
        if (n > 0) {
            String host = bindHost.equals("*") || bindHost.equals("0.0.0.0") || bindHost.isEmpty() ? "127.0.0.1" : bindHost;
            launchWorkers(n, host, master.port());
        }
        return master;
    }

    private void awaitWorkers(MasterRunner master) {
        int expected = Math.max(options.getInt("expect_workers", 1), processes());
        int maxWait = options.getInt("expect_workers_max_wait", 0);
        if (!master.awaitWorkers(expected, Duration.ofSeconds(Math.max(0, maxWait)))) {
            master.quit();
            throw new CliException("Gave up waiting for workers to connect: " + master.readyWorkerCount() + " of " + expected
                    + " after " + maxWait + " s", 1);
        }
    }

    /**
     * The whole life of {@code --worker}: connect, run the init hooks and {@code init}, then announce
     * the worker (so its handlers are in place before the master's first message), run what the
     * master says, exit when it says quit. Prints no statistics (the master does). Exits with 1 when
     * the master gave it users of a class it does not have, or it lost its master.
     *
     * @param onInit       runs once the runner exists, before {@code init} fires (plugins)
     * @param exitOnSignal null, or what ends the process with the worker's exit code after a stop
     *                     signal (SIGTERM, SIGINT): the worker quits as the master would tell it to
     */
    int runWorker(Environment env, Runnable onInit, IntConsumer exitOnSignal) {
        if (processes() > 0) {
            return runWorkerProcesses();
        }
        if (options.has("run_time")) {
            log.warn("--run-time is ignored on a worker: the master ends the test");
        }
        String host = options.getString("master_host", "127.0.0.1");
        int port = options.getInt("master_port", 5557);
        int timeout = options.getInt("master_heartbeat_timeout", 60);
        if (timeout <= 0) {
            throw new CliException("Invalid --master-heartbeat-timeout " + timeout + ": it must be above 0");
        }
        WorkerRunner worker;
        try {
            worker = WorkerRunner.open(env, WorkerRunner.Options.of(host, port).withMasterHeartbeatTimeout(Duration.ofSeconds(timeout)));
        } catch (TransportException | IllegalArgumentException e) {
            throw new CliException("Failed to connect to the Locust master: " + e.getMessage());
        }
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        if (exitOnSignal != null) {
            // the process must end with the code the worker computes, not with the JVM's 128+signal;
            // installed before the worker announces itself, so a signal at any time after that gets it
            Runtime.getRuntime().addShutdownHook(NamedThreads.shutdownHook("jlocust-worker-shutdown", () -> {
                if (!worker.quitted().isDone()) {
                    log.info("Got a stop signal, shutting down");
                    worker.quit();
                }
                try {
                    exitOnSignal.accept(exitCode.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.warn("The worker did not finish within 60 s of the stop signal");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        runInitHooks(env, worker);
        onInit.run();
        env.events().init.fire(env);
        worker.announce();
        WorkerRunner.ExitReason reason = worker.quitted().join();
        env.events().quitting.fire(env);
        int code = switch (reason) {
            case MASTER_QUIT, LOCAL_QUIT -> env.hadListenerError() ? 2 : worker.missingUserClasses().isEmpty() ? 0 : 1;
            case MASTER_LOST, CONNECT_FAILED, TRANSPORT_FAILED -> 1;
        };
        log.info("Shutting down (exit code {})", code);
        exitCode.complete(code);
        return code;
    }

    /** {@code --worker --processes N}: N worker processes, this one only waits for them. */
    private int runWorkerProcesses() {
        String host = options.getString("master_host", "127.0.0.1");
        int port = options.getInt("master_port", 5557);
        launchWorkers(processes(), host, port);
        int code = 0;
        for (Process p : children) {
            try {
                code = Math.max(code, p.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return code;
    }

    private void launchWorkers(int n, String host, int port) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xrunjdwp") && !a.startsWith("-Xdebug")) {
                command.add(a);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(originalArgs));
        // later occurrences win: make each child a plain worker of this master
        command.addAll(List.of("--master=false", "--worker", "--processes", "0", "--master-host", host, "--master-port",
                String.valueOf(port)));
        log.info("Starting {} worker processes connecting to {}:{}", n, host, port);
        for (int i = 0; i < n; i++) {
            try {
                ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
                pb.environment().remove("LOCUST_PROCESSES");
                pb.environment().remove("LOCUST_MODE_MASTER");
                children.add(pb.start());
            } catch (IOException e) {
                close();
                throw new CliException("Could not start worker process " + (i + 1) + " (" + java + "): " + e.getMessage());
            }
        }
        childReaper = NamedThreads.shutdownHook("jlocust-worker-reaper", this::destroyChildren);
        Runtime.getRuntime().addShutdownHook(childReaper);
    }

    /** Lets the local worker processes end by themselves (they got quit), then ends the rest. */
    @Override
    public void close() {
        if (children.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Process p : children) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    p.waitFor(left, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        destroyChildren();
        if (childReaper != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(childReaper);
            } catch (IllegalStateException ignored) {
                // shutting down already
            }
        }
    }

    private void destroyChildren() {
        for (Process p : children) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : children) {
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
