/**
 * What jlocust's own process needs beyond the user API: {@link io.locusttelemetry.engine.process.NamedThreads},
 * the one place its platform threads are made, for the engine and every module built on it.
 */
package io.locusttelemetry.engine.process;
