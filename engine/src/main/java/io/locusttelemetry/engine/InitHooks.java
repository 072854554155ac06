package io.locusttelemetry.engine;

import io.locusttelemetry.engine.internal.DeclarationOrder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/** Finds a locustfile's {@link OnInit} methods. */
public final class InitHooks {
    private InitHooks() {}

    /**
     * One init hook.
     *
     * @param name what error messages call it, {@code Class.method}
     * @param body what it runs
     */
    public record Hook(String name, Consumer<Environment> body) {}

    /**
     * The {@link OnInit} methods of {@code classes}: the classes in the order given, each class's
     * methods in declaration order.
     *
     * @throws IllegalArgumentException naming a marked method that is not static or takes other
     *                                  parameters than one {@link Environment}
     */
    public static List<Hook> find(Collection<? extends Class<?>> classes) {
        List<Hook> out = new ArrayList<>();
        for (Class<?> c : classes) {
            List<Method> marked = new ArrayList<>();
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(OnInit.class)) {
                    marked.add(m);
                }
            }
            if (marked.isEmpty()) {
                continue;
            }
            List<String> order = DeclarationOrder.methodNames(c);
            marked.sort(Comparator.<Method>comparingInt(m -> order.indexOf(m.getName()) < 0 ? Integer.MAX_VALUE : order.indexOf(m.getName()))
                    .thenComparing(Method::getName));
            for (Method m : marked) {
                out.add(hook(c, m));
            }
        }
        return List.copyOf(out);
    }

    private static Hook hook(Class<?> c, Method m) {
        String name = c.getSimpleName() + "." + m.getName();
        Class<?>[] params = m.getParameterTypes();
        boolean takesEnvironment = Arrays.equals(params, new Class<?>[] {Environment.class});
        if (!Modifier.isStatic(m.getModifiers()) || !(params.length == 0 || takesEnvironment)) {
            throw new IllegalArgumentException("@OnInit method " + name + " must be static and take an Environment or nothing");
        }
        m.setAccessible(true);
        return new Hook(name, environment -> {
            try {
                m.invoke(null, takesEnvironment ? new Object[] {environment} : new Object[0]);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot call @OnInit method " + name, e);
            }
        });
    }
}
