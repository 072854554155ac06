package io.locusttelemetry.engine;

import io.locusttelemetry.engine.internal.TaskModel;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user classes a test can run, as a person picks them: by name, with each class's share of the
 * users and its tasks' shares. What {@code jlocust UserA UserB}, {@code --list} and
 * {@code --show-task-ratio} show, and what a class picker or a task table builds on. Immutable.
 *
 * <pre>{@code
 * UserClasses picked = UserClasses.of(loaded).select(List.of("WebsiteUser"));
 * picked.checkConstructible();
 * for (UserClassRatio c : picked.ratios(TagFilter.ALL)) { ... }
 * }</pre>
 */
public final class UserClasses {
    private final List<Class<? extends User>> classes;

    private UserClasses(List<Class<? extends User>> classes) {
        this.classes = classes;
    }

    /** The given classes, in their order, each once. */
    public static UserClasses of(Collection<Class<? extends User>> classes) {
        return new UserClasses(List.copyOf(new LinkedHashSet<>(classes)));
    }

    /** The classes, in order. */
    public List<Class<? extends User>> list() {
        return classes;
    }

    /** The classes' simple names, in order (as Locust lists them and the wire carries them). */
    public List<String> names() {
        return classes.stream().map(Class::getSimpleName).toList();
    }

    public boolean isEmpty() {
        return classes.isEmpty();
    }

    /** The class of this simple or fully qualified name. */
    public Optional<Class<? extends User>> find(String name) {
        for (Class<? extends User> c : classes) {
            if (c.getSimpleName().equals(name) || c.getName().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The classes named (simple or fully qualified names), in the order given; no names means all.
     *
     * @throws IllegalArgumentException {@code Unknown User(s): ...} naming every name not found
     */
    public UserClasses select(Collection<String> names) {
        if (names.isEmpty()) {
            return this;
        }
        List<Class<? extends User>> picked = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            find(name).ifPresentOrElse(picked::add, () -> unknown.add(name));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown User(s): " + String.join(", ", unknown) + " (available: "
                    + String.join(", ", names()) + ")");
        }
        return of(picked);
    }

    /**
     * Each class's share of the users (by {@link Weight}) and its tasks' shares after {@code filter},
     * nested task sets included.
     *
     * @throws IllegalArgumentException when a class declares a task the engine cannot run (e.g. a
     *                                  {@code @Task} method with parameters)
     */
    public List<UserClassRatio> ratios(TagFilter filter) {
        int weightSum = 0;
        int[] weights = new int[classes.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = UserDispatcher.weightOf(classes.get(i));
            weightSum += weights[i];
        }
        List<UserClassRatio> out = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            Class<? extends User> c = classes.get(i);
            out.add(new UserClassRatio(c.getSimpleName(), (double) weights[i] / Math.max(weightSum, 1), taskRatios(c, filter)));
        }
        return out;
    }

    private static List<TaskRatio> taskRatios(Class<?> holder, TagFilter filter) {
        TaskModel model = TaskModel.of(holder, filter.tagsOrNull(), filter.excludeTagsOrNull());
        long total = 0;
        for (int i = 0; i < model.size(); i++) {
            total += model.isSequential() ? 1 : model.task(i).weight();
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        Map<String, Class<? extends TaskSet>> taskSets = new LinkedHashMap<>();
        for (int i = 0; i < model.size(); i++) {
            TaskModel.TaskDef t = model.task(i);
            shares.merge(t.name(), (model.isSequential() ? 1.0 : t.weight()) / Math.max(total, 1), Double::sum);
            if (t.taskSet() != null) {
                taskSets.putIfAbsent(t.name(), t.taskSet());
            }
        }
        List<TaskRatio> out = new ArrayList<>();
        shares.forEach((name, share) -> {
            Class<? extends TaskSet> nested = taskSets.get(name);
            out.add(new TaskRatio(name, share, nested == null ? List.of() : taskRatios(nested, filter)));
        });
        return out;
    }

    /**
     * Creates one user of each class and drops it (its resources closed, it never runs), so that a
     * class that cannot be created is reported before a test starts rather than by every user
     * that would have been spawned.
     *
     * @throws IllegalArgumentException one line naming the class and the cause
     */
    public void checkConstructible() {
        for (Class<? extends User> c : classes) {
            try {
                newUser(c).closeResources();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(e.getMessage(), e.getCause());
            }
        }
    }

    /**
     * A new user of {@code c} through its constructor without arguments.
     *
     * @throws IllegalStateException one line naming the class and the cause (the cause attached)
     */
    static User newUser(Class<? extends User> c) {
        if (Modifier.isAbstract(c.getModifiers())) {
            throw new IllegalStateException("User class " + c.getName() + " is abstract: it cannot be created");
        }
        Constructor<? extends User> ctor;
        try {
            ctor = c.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("User class " + c.getName() + " needs a constructor without arguments", e);
        }
        try {
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof VirtualMachineError error) {
                throw error;
            }
            throw new IllegalStateException("User class " + c.getName() + " cannot be created: its constructor threw " + cause, cause);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new IllegalStateException("User class " + c.getName() + " cannot be created: " + e, e);
        }
    }

    /** Where a user of class {@code c} sends its requests: {@code host} (the run's), or else the class's {@link Host}. */
    static String host(Class<? extends User> c, String host) {
        if (host != null && !host.isEmpty()) {
            return host;
        }
        Host h = c.getAnnotation(Host.class);
        return h == null ? null : h.value();
    }
}
