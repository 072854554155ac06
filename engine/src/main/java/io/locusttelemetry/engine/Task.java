package io.locusttelemetry.engine;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link User} or {@link TaskSet} as a task, or a nested {@link TaskSet}
 * class as a task of its enclosing class. A task is picked at random, in proportion to its weight.
 * A task method takes no arguments.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Task {
    /** Relative weight; a task with weight 3 runs three times as often as one with weight 1. */
    int value() default 1;
}
