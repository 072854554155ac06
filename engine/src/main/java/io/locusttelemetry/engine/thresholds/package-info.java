/**
 * Thresholds (service level objectives) over a test's request statistics: the expression language
 * of {@code --threshold} and {@link io.locusttelemetry.engine.Threshold @Threshold}, the metrics it
 * knows ({@link io.locusttelemetry.engine.thresholds.Metric}) and the outcome of evaluating one
 * against a {@link io.locusttelemetry.engine.stats.StatsSnapshot}.
 */
package io.locusttelemetry.engine.thresholds;
