package io.locusttelemetry.engine;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A threshold of the test, declared on a user class: {@code @Threshold("p95<300")},
 * {@code @Threshold("GET /cart: p99<800 abort-on-fail delay=10s")}. The syntax is that of
 * {@code --threshold} ({@link io.locusttelemetry.engine.thresholds.ThresholdExpression}); the
 * statistics are the whole test's, so the thresholds of every user class of the test apply, and
 * those of their superclasses.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Threshold.List.class)
public @interface Threshold {
    /** The expression, e.g. {@code "fail_ratio<1%"}. */
    String value();

    /** Holds several {@link Threshold}s on one class. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
        @interface List {
        Threshold[] value();
    }
}
