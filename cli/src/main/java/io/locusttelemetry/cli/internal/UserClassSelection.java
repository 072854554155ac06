package io.locusttelemetry.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.locusttelemetry.engine.TagFilter;
import io.locusttelemetry.engine.TaskRatio;
import io.locusttelemetry.engine.UserClassRatio;
import io.locusttelemetry.engine.UserClasses;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command's step from the loaded classes to the ones a test runs: picking them by name
 * ({@code jlocust UserA UserB}), {@code --list}, {@code --show-task-ratio[-json]}, and the checks that
 * each has tasks and can be created. Errors are {@link CliException}s of one line.
 */
public final class UserClassSelection {
    private UserClassSelection() {}

    /** The classes named on the command line (all when none is), of the locustfile {@code source}. */
    public static UserClasses select(UserClasses available, List<String> names, String source) {
        UserClasses picked;
        try {
            picked = available.select(names);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        if (picked.isEmpty()) {
            throw new CliException("No User class found in " + source + "! A user class extends User or HttpUser.", 1);
        }
        return picked;
    }

    /** Each class's share of the users and its tasks' shares (a malformed {@code @Task} is one line). */
    public static List<UserClassRatio> ratios(UserClasses classes, TagFilter tags) {
        try {
            return classes.ratios(tags);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Refuses a class left without tasks (none declared, or none after the tag filter), or one that cannot be created. */
    public static void checkRunnable(UserClasses classes, TagFilter tags) {
        for (UserClassRatio c : ratios(classes, tags)) {
            if (!c.hasTasks()) {
                throw new CliException("User class " + c.name() + " has no tasks"
                        + (tags.isActive() ? " left after --tags/--exclude-tags" : " (add @Task methods)"));
            }
        }
        try {
            classes.checkConstructible();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** {@code --list}. */
    public static void printList(PrintStream out, UserClasses classes) {
        out.println("Available Users:");
        for (String name : classes.names()) {
            out.println("    " + name);
        }
    }

    /** {@code --show-task-ratio} (text) or {@code --show-task-ratio-json}: each class's share and its tasks'. */
    public static void printTaskRatios(PrintStream out, List<UserClassRatio> ratios, boolean json) {
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            for (UserClassRatio c : ratios) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("ratio", c.ratio());
                Map<String, Double> tasks = new LinkedHashMap<>();
                for (TaskRatio t : c.tasks()) {
                    tasks.put(t.name(), t.ratio());
                }
                entry.put("tasks", tasks);
                all.put(c.name(), entry);
            }
            try {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(all));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        out.println("\n Task ratio per User class");
        for (UserClassRatio c : ratios) {
            out.printf(Locale.ROOT, " %-6.1f %s%n", c.ratio() * 100, c.name());
            for (TaskRatio t : c.tasks()) {
                out.printf(Locale.ROOT, "    %-6.1f %s%n", t.ratio() * 100, t.name());
            }
        }
    }
}
