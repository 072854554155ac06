package io.locusttelemetry.bench.gatling;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;

import io.gatling.javaapi.core.Simulation;

/**
 * Saturation: {@code bench.users} users start together and each sends one request after the
 * other, no pause, for {@code bench.duration} seconds. A fixed population, as in the other
 * generators of bench/run.
 */
public class SaturationSimulation extends Simulation {
    public SaturationSimulation() {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        System.out.println("saturation: " + settings);
        setUp(settings.loop("saturation").injectOpen(atOnceUsers(settings.users)))
                .protocols(settings.protocol())
                .maxDuration(settings.duration);
    }
}
