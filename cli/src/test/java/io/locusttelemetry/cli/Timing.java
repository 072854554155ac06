package io.locusttelemetry.cli;

/**
 * The tag of the tests that assert times or rates (latency buckets, iterations a second, how
 * many log lines a rate limit lets through in a run): the build runs them one at a time, after
 * the others, which run two test JVMs side by side.
 */
final class Timing {
    static final String TAG = "timing";

    private Timing() {}
}
