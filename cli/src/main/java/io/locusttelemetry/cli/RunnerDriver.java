package io.locusttelemetry.cli;

import io.locusttelemetry.engine.ArrivalPlan;
import io.locusttelemetry.engine.Environment;
import io.locusttelemetry.engine.LocalRunner;
import io.locusttelemetry.engine.Runner;

/**
 * How a {@link TestRun} starts its runner, waits for it and lets it go: a local runner, or a master
 * that first waits for its workers. The runner exists once the driver does.
 */
public interface RunnerDriver extends AutoCloseable {

    /** The runner the test runs on. */
    Runner runner();

    /** Starts {@code users} users at {@code spawnRate} per second (a master once its workers are there). */
    void start(int users, double spawnRate);

    /** Lets the environment's load shape drive the user count. */
    void startShape();

    /** Starts an open model ({@link Runner#startArrivals}; a master once its workers are there). */
    default void startArrivals(ArrivalPlan plan) {
        runner().startArrivals(plan);
    }

    /** Blocks until the runner has quit: run time over, shape done, last worker gone, or {@link Runner#quit()}. */
    void awaitQuit();

    /** Releases what the driver started besides the runner (e.g. local worker processes). */
    @Override
    void close();

    /** A driver for a standalone test: a new {@link LocalRunner} of {@code environment}. */
    static RunnerDriver local(Environment environment) {
        LocalRunner runner = environment.createLocalRunner();
        return new RunnerDriver() {
            @Override
            public Runner runner() {
                return runner;
            }

            @Override
            public void start(int users, double spawnRate) {
                runner.start(users, spawnRate);
            }

            @Override
            public void startShape() {
                runner.startShape();
            }

            @Override
            public void awaitQuit() {
                runner.quitted().join();
            }

            @Override
            public void close() {}
        };
    }
}
