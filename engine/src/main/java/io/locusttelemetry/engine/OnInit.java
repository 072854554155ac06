package io.locusttelemetry.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a locustfile's start-up code, what a Python locustfile runs at module level (for example
 * {@code @events.init.add_listener}): a {@code static} method of any class of the locustfile,
 * taking the {@link Environment} or nothing, that runs once on every role (standalone, master and
 * each worker), after the runner exists and before the {@code init} event fires. A worker is not
 * announced to its master before it has run, so the message handlers it registers
 * ({@code environment.runner().registerMessage(...)}) are in place before the master's first
 * message, and the listeners it adds ({@code init}, {@code test_start}, ...) see every event.
 *
 * <pre>{@code
 * @OnInit
 * static void setUp(Environment environment) {
 *     environment.runner().registerMessage("set_metadata", (env, msg) -> log.info("metadata {}", msg.data()));
 *     environment.events().testStart.addListener(env -> log.info("test starts"));
 * }
 * }</pre>
 *
 * <p>The methods of one class run in the order they are declared, the classes in the order the
 * locustfile's classes are loaded. A method that throws stops the run with its error.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnInit {
}
