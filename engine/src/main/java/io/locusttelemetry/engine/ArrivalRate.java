package io.locusttelemetry.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a user class as an open model: {@link #perSecond()} task iterations start every second
 * whatever their duration, each at its intended start on the rate's timeline, drawn from a pool
 * of users that grows up to {@link #maxUsers()}. An iteration that finds every user busy and the
 * pool full is dropped and counted, never queued. Each iteration is one task: the class's wait
 * time is ignored. The command line's {@code --arrival-rate} and {@code --max-users} override it.
 *
 * <pre>{@code
 * @ArrivalRate(perSecond = 200, maxUsers = 500)
 * public class Checkout extends HttpUser { @Task void buy() { client.post("/buy"); } }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ArrivalRate {
    /** Iterations started per second: above 0, at most {@value ArrivalPlan#MAX_RATE}. */
    double perSecond();

    /**
     * Most users of this class at once (at most {@value ArrivalPlan#MAX_USERS}); 0, the default,
     * takes its share of {@code --max-users} (default {@value ArrivalPlan#DEFAULT_MAX_USERS}).
     */
    int maxUsers() default 0;
}
