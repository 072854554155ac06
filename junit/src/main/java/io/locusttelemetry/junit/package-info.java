/**
 * Load tests beside a project's other tests: {@link io.locusttelemetry.junit.LoadTest} runs user
 * classes (or a locustfile) in the test's own JVM, {@link io.locusttelemetry.junit.LoadTestResult}
 * holds the statistics, the thresholds' outcomes and the report writers.
 *
 * <pre>{@code
 * LoadTestResult r = LoadTest.of(Checkout.class).host(url).users(50).spawnRate(10)
 *         .runTime(Duration.ofSeconds(30)).threshold("p95<300").run();
 * assertThat(r.thresholdsPassed()).isTrue();
 * }</pre>
 */
package io.locusttelemetry.junit;
