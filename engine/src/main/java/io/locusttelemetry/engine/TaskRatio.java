package io.locusttelemetry.engine;

import java.util.List;

/**
 * One task's share of its parent's task executions ({@code --show-task-ratio}, the web UI's task
 * table). A nested {@link TaskSet} has its own tasks, whose ratios are shares of the task set's.
 * Immutable.
 *
 * @param name  {@code Holder.method} for a task method, the class name for a task set
 * @param ratio share of the parent's executions, 0 to 1
 * @param tasks the tasks of a nested task set; empty for a task method
 */
public record TaskRatio(String name, double ratio, List<TaskRatio> tasks) {
    public TaskRatio {
        tasks = List.copyOf(tasks);
    }
}
