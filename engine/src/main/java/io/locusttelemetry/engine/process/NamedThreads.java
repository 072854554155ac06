package io.locusttelemetry.engine.process;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The platform threads jlocust starts for itself (users run on virtual threads). Each has a name
 * that says what it does, so a thread dump or a per-thread CPU table reads at a glance, and each is
 * a daemon, so none keeps a finished run alive, except one started with {@link #startNonDaemon}
 * for work that must finish (a worker's goodbye to its master).
 */
public final class NamedThreads {
    private NamedThreads() {}

    /** Makes daemon threads named {@code name} (for executors of one thread). */
    public static ThreadFactory daemon(String name) {
        Objects.requireNonNull(name, "name");
        return task -> newDaemon(name, task);
    }

    /** An unstarted daemon thread. */
    public static Thread newDaemon(String name, Runnable task) {
        Thread t = new Thread(task, Objects.requireNonNull(name, "name"));
        t.setDaemon(true);
        return t;
    }

    /** Starts a daemon thread. */
    public static Thread startDaemon(String name, Runnable task) {
        Thread t = newDaemon(name, task);
        t.start();
        return t;
    }

    /** Starts a thread that keeps the JVM alive until it has run {@code task}. */
    public static Thread startNonDaemon(String name, Runnable task) {
        Thread t = new Thread(task, Objects.requireNonNull(name, "name"));
        t.setDaemon(false);
        t.start();
        return t;
    }

    /** An unstarted thread for {@link Runtime#addShutdownHook}. */
    public static Thread shutdownHook(String name, Runnable task) {
        return new Thread(task, Objects.requireNonNull(name, "name"));
    }
}
