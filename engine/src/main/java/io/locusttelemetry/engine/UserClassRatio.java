package io.locusttelemetry.engine;

import java.util.List;

/**
 * One user class's share of the users by {@link Weight}, and its tasks' shares after tag filtering.
 * Immutable.
 *
 * @param name  the class's simple name, as Locust shows it and the wire carries it
 * @param ratio share of the users, 0 to 1 (weights only; {@link FixedCount} is not counted)
 * @param tasks the tasks left after the {@link TagFilter}; empty when none is
 */
public record UserClassRatio(String name, double ratio, List<TaskRatio> tasks) {
    public UserClassRatio {
        tasks = List.copyOf(tasks);
    }

    /** Whether a user of this class has anything to do. */
    public boolean hasTasks() {
        return !tasks.isEmpty();
    }
}
