package io.locusttelemetry.engine;

import java.util.Locale;

/** How an open model spaces the intended starts of its iterations ({@code --arrival-distribution}). */
public enum ArrivalDistribution {
    /** Evenly: one every {@code 1 / rate} seconds (k6's arrival-rate executors). */
    UNIFORM,
    /** Poisson arrivals: independent, with exponentially distributed gaps of mean {@code 1 / rate} (Gatling's randomized injection). */
    POISSON;

    /** The name on the command line and on the wire: {@code uniform} or {@code poisson}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The distribution named {@code name}, case-insensitive.
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static ArrivalDistribution parse(String name) {
        if (name != null) {
            for (ArrivalDistribution d : values()) {
                if (d.wireName().equalsIgnoreCase(name.trim())) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("'" + name + "': use uniform or poisson");
    }
}
