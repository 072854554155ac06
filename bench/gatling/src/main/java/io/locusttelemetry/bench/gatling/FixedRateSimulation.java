package io.locusttelemetry.bench.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.holdFor;
import static io.gatling.javaapi.core.CoreDsl.jumpToRps;

import io.gatling.javaapi.core.Simulation;

/**
 * Fixed rate: the same looping users as {@link SaturationSimulation}, with Gatling's throttle
 * capping all of them together at {@code bench.rate} requests/s from the start.
 */
public class FixedRateSimulation extends Simulation {
    public FixedRateSimulation() {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        System.out.println("fixed rate: " + settings);
        setUp(settings.loop("fixed-rate").injectOpen(atOnceUsers(settings.users)))
                .protocols(settings.protocol())
                .throttle(jumpToRps(settings.rate), holdFor(settings.duration))
                .maxDuration(settings.duration);
    }
}
