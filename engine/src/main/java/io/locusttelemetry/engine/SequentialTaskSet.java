package io.locusttelemetry.engine;

/**
 * A task set whose tasks run in the order they are declared, each as many times in a row as its
 * weight, over and over until interrupted.
 */
public abstract class SequentialTaskSet extends TaskSet {
    protected SequentialTaskSet() {}
}
