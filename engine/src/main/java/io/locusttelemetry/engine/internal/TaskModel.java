package io.locusttelemetry.engine.internal;

import io.locusttelemetry.engine.SequentialTaskSet;
import io.locusttelemetry.engine.Tag;
import io.locusttelemetry.engine.Task;
import io.locusttelemetry.engine.TaskSet;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The tasks of one user or task set class after tag filtering, built once per class and filter.
 * Picking a task is a binary search over cumulative weights: no allocation, no lock.
 */
public final class TaskModel {

    /** One task: a method to call, or a nested task set class to run. */
    public record TaskDef(String name, int weight, Set<String> tags, MethodHandle method, Class<? extends TaskSet> taskSet) {}

    private static final Map<Key, TaskModel> CACHE = new ConcurrentHashMap<>();

    private record Key(Class<?> holder, Set<String> tags, Set<String> excludeTags) {}

    private final Class<?> holder;
    private final TaskDef[] tasks;
    private final int[] cumulative;
    private final boolean sequential;

    private TaskModel(Class<?> holder, List<TaskDef> tasks, boolean sequential) {
        this.holder = holder;
        this.tasks = tasks.toArray(new TaskDef[0]);
        this.sequential = sequential;
        this.cumulative = new int[this.tasks.length];
        int sum = 0;
        for (int i = 0; i < this.tasks.length; i++) {
            sum += sequential ? 1 : this.tasks[i].weight();
            cumulative[i] = sum;
        }
    }

    /** The model of {@code holder} given tag filters (null = no filter). */
    public static TaskModel of(Class<?> holder, Set<String> tags, Set<String> excludeTags) {
        Key key = new Key(holder, tags, excludeTags);
        TaskModel model = CACHE.get(key);
        if (model == null) {
            // built outside the map: building also caches the models of nested task sets, and a
            // ConcurrentHashMap must not be updated from inside computeIfAbsent ("Recursive update")
            model = build(holder, tags, excludeTags, Set.of());
            TaskModel raced = CACHE.putIfAbsent(key, model);
            if (raced != null) {
                model = raced;
            }
        }
        return model;
    }

    private static TaskModel build(Class<?> holder, Set<String> tags, Set<String> excludeTags, Set<String> inherited) {
        boolean sequential = SequentialTaskSet.class.isAssignableFrom(holder);
        Set<String> classTags = new HashSet<>(inherited);
        Tag classTag = holder.getAnnotation(Tag.class);
        if (classTag != null) {
            classTags.addAll(Arrays.asList(classTag.value()));
        }
        List<TaskDef> out = new ArrayList<>();
        List<String> order = DeclarationOrder.methodNames(holder);
        List<Method> methods = new ArrayList<>();
        for (Class<?> c = holder; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Task.class) && methods.stream().noneMatch(x -> x.getName().equals(m.getName()))) {
                    methods.add(m);
                }
            }
        }
        methods.sort((a, b) -> Integer.compare(rank(order, a.getName()), rank(order, b.getName())));
        for (Method m : methods) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())) {
                throw new IllegalArgumentException("@Task method " + holder.getSimpleName() + "." + m.getName()
                        + " must be an instance method without parameters");
            }
            Set<String> taskTags = new HashSet<>(classTags);
            Tag t = m.getAnnotation(Tag.class);
            if (t != null) {
                taskTags.addAll(Arrays.asList(t.value()));
            }
            if (!passes(taskTags, tags, excludeTags)) {
                continue;
            }
            int weight = m.getAnnotation(Task.class).value();
            TaskDef def = new TaskDef(holder.getSimpleName() + "." + m.getName(), weight, Set.copyOf(taskTags), handle(m), null);
            if (sequential) {
                for (int i = 0; i < Math.max(weight, 1); i++) {
                    out.add(def);
                }
            } else if (weight > 0) {
                out.add(def);
            }
        }
        for (Class<?> nested : nestedTaskSets(holder)) {
            @SuppressWarnings("unchecked")
            Class<? extends TaskSet> ts = (Class<? extends TaskSet>) nested;
            Set<String> nestedTags = new HashSet<>(classTags);
            Tag t = ts.getAnnotation(Tag.class);
            if (t != null) {
                nestedTags.addAll(Arrays.asList(t.value()));
            }
            TaskModel inner = build(ts, tags, excludeTags, nestedTags);
            if (inner.tasks.length == 0) {
                continue;
            }
            CACHE.putIfAbsent(new Key(ts, tags, excludeTags), inner);
            int weight = ts.getAnnotation(Task.class).value();
            if (weight > 0) {
                out.add(new TaskDef(ts.getSimpleName(), weight, Set.copyOf(nestedTags), null, ts));
            }
        }
        return new TaskModel(holder, out, sequential);
    }

    private static List<Class<?>> nestedTaskSets(Class<?> holder) {
        List<Class<?>> out = new ArrayList<>();
        List<String> order = DeclarationOrder.nestedClassNames(holder);
        for (Class<?> c = holder; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Class<?> nested : c.getDeclaredClasses()) {
                if (TaskSet.class.isAssignableFrom(nested) && nested.isAnnotationPresent(Task.class)
                        && !Modifier.isAbstract(nested.getModifiers())) {
                    out.add(nested);
                }
            }
        }
        out.sort((a, b) -> Integer.compare(rank(order, a.getName()), rank(order, b.getName())));
        return out;
    }

    private static int rank(List<String> order, String name) {
        int i = order.indexOf(name);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static boolean passes(Set<String> taskTags, Set<String> tags, Set<String> excludeTags) {
        if (tags != null && taskTags.stream().noneMatch(tags::contains)) {
            return false;
        }
        return excludeTags == null || taskTags.stream().noneMatch(excludeTags::contains);
    }

    private static MethodHandle handle(Method m) {
        try {
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(void.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot call @Task method " + m + ": " + e.getMessage(), e);
        }
    }

    public Class<?> holder() {
        return holder;
    }

    public boolean isEmpty() {
        return tasks.length == 0;
    }

    public boolean isSequential() {
        return sequential;
    }

    public int size() {
        return tasks.length;
    }

    public TaskDef task(int index) {
        return tasks[index];
    }

    /** A task picked at random in proportion to the weights. */
    public TaskDef pick() {
        int total = cumulative[cumulative.length - 1];
        int r = ThreadLocalRandom.current().nextInt(total);
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > r) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return tasks[lo];
    }

    /** Every distinct task name with its share of executions, for {@code --show-task-ratio}. */
    public Map<String, Double> ratios() {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        int total = cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
        for (TaskDef t : new LinkedHashSet<>(Arrays.asList(tasks))) {
            out.merge(t.name(), (sequential ? 1.0 : t.weight()) / Math.max(total, 1), Double::sum);
        }
        return out;
    }
}
