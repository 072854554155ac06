/**
 * What jlocust's own process needs beyond the user API, for the engine and every module built on
 * it: {@link io.locusttelemetry.engine.process.NamedThreads}, the one place its platform threads are
 * made, and {@link io.locusttelemetry.engine.process.LimitedLog}, the one place log lines that a
 * peer (or a user's handler) can repeat are rate-limited.
 */
package io.locusttelemetry.engine.process;
