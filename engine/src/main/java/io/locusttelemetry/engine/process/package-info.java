/**
 * What this process and its machine use, and how the JVM runs this process's background code:
 * CPU of this process between readings ({@link io.locusttelemetry.engine.process.CpuMeter}), its
 * resident memory ({@link io.locusttelemetry.engine.process.ResidentMemory}), the bytes the
 * machine's network interfaces moved ({@link io.locusttelemetry.engine.process.NetworkCounters}),
 * and compiler directives that keep rarely run code out of the optimizing JIT compiler
 * ({@link io.locusttelemetry.engine.process.CompilerDirectives}).
 *
 * <p>The runners (heartbeats, the {@code usage_monitor} event, CPU warnings) and the telemetry
 * recorders read the same numbers through these types. Readings are immutable values; on Linux
 * they come from one {@code /proc} file each, elsewhere from OSHI, and a counter the platform does
 * not offer reads as a documented fallback value instead of failing the run.
 *
 * <p>{@link io.locusttelemetry.engine.process.NamedThreads} is the one place jlocust's platform
 * threads are made, and {@link io.locusttelemetry.engine.process.LimitedLog} the one place log
 * lines that a peer (or a user's handler) can repeat are rate-limited, for the engine and every
 * module built on it.
 */
package io.locusttelemetry.engine.process;
