package io.locusttelemetry.engine;

import io.locusttelemetry.engine.internal.TaskModel;

/** Test access to package-private parts of users, for tests in other packages. */
public final class TestSupport {
    private TestSupport() {}

    /** Attaches {@code user} to {@code environment} without a runner, so a test can call its client directly. */
    public static <U extends User> U attach(U user, Environment environment, String host) {
        user.attach(environment, host, TaskModel.of(user.getClass(), environment.tags(), environment.excludeTags()));
        return user;
    }

    /** Runs the user's life (onStart, tasks, onStop) on the calling thread until it stops itself. */
    public static void run(User user) {
        user.run();
    }

    /** Closes the user's resources (its HTTP connections), as the runner does when a user ends. */
    public static void close(User user) {
        user.closeResources();
    }
}
