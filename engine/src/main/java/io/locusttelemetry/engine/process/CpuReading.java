package io.locusttelemetry.engine.process;

/**
 * One reading of a {@link CpuMeter}.
 *
 * @param percent     CPU of this process in percent of one core (150 = one and a half cores), never negative
 * @param windowNanos the wall-clock time this reading measured the percentage over; 0 when it measured no window of its
 *                    own (it repeats the previous reading's percentage, or, for a first reading, is the average since
 *                    the JVM started)
 */
public record CpuReading(double percent, long windowNanos) {
    /** What a meter answers before its first reading, or where the JVM cannot tell its CPU time. */
    public static final CpuReading NONE = new CpuReading(0, 0);
}
