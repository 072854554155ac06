package io.locusttelemetry.telemetry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a {@link TelemetryRecorderPluginBase} subclass so that it is found on the classpath with
 * no other step: the annotation processor shipped in this module writes the class into
 * {@code META-INF/services/io.locusttelemetry.telemetry.TelemetryRecorderPluginBase}, which
 * {@link java.util.ServiceLoader} reads.
 *
 * <p>The class must be public, concrete, a subclass of {@link TelemetryRecorderPluginBase}, and have
 * a public constructor without arguments (nested classes must be static); otherwise compilation
 * fails. With JDK 23 or later, javac runs annotation processors found on the classpath only when
 * asked: compile with {@code -proc:full} (Maven: {@code <proc>full</proc>}) or put this module on
 * the processor path.
 *
 * <pre>{@code
 * @TelemetryRecorderPlugin
 * public final class MyPlugin extends TelemetryRecorderPluginBase { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TelemetryRecorderPlugin {}
